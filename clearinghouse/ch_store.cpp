#include "clearinghouse/ch_store.h"

#include "store/errors.h"

namespace federa::ch {
namespace {

using store::Param;
using store::Row;

Timestamp time_of(const std::string& text) {
  const auto time = parse_rfc3339(text);
  if (!time) throw store::Error("the clearinghouse database holds a malformed time '" + text + "'");
  return *time;
}

std::optional<Timestamp> optional_time(const Row& row, std::string_view column) {
  const auto text = row.get<std::optional<std::string>>(column);
  return text ? std::optional<Timestamp>(time_of(*text)) : std::nullopt;
}

std::optional<std::string> optional_text(const std::optional<Timestamp>& time) {
  return time ? std::optional<std::string>(format_rfc3339(*time)) : std::nullopt;
}

// "SELECT ... [WHERE lower(column) IN (lower($1), ...)] ORDER BY column" for an optional list.
store::Result select_in(store::Transaction& tx, const std::string& select, const std::string& column,
                        const std::vector<std::string>& values) {
  std::string sql = select;
  std::vector<Param> params;
  if (!values.empty()) {
    sql += " WHERE lower(" + column + ") IN (";
    for (std::size_t i = 0; i < values.size(); ++i) {
      sql += (i ? ", lower($" : "lower($") + std::to_string(i + 1) + ")";
      params.emplace_back(values[i]);
    }
    sql += ")";
  }
  sql += " ORDER BY " + column;
  return tx.execute(sql, params);
}

template <class T, class F>
std::vector<T> rows_to(const store::Result& result, F convert) {
  std::vector<T> out;
  for (const Row& row : result) out.push_back(convert(row));
  return out;
}

template <class T>
std::optional<T> first(std::vector<T> all) {
  if (all.empty()) return std::nullopt;
  return std::move(all.front());
}

constexpr const char* kMemberColumns =
    "SELECT urn, username, email, first_name, last_name, uid, certificate, is_operator, revoked_at, created_at FROM "
    "members";

Member member_of(const Row& row) {
  return {row.get<std::string>("urn"),         row.get<std::string>("username"),
          row.get<std::string>("email"),       row.get<std::string>("first_name"),
          row.get<std::string>("last_name"),   row.get<std::string>("uid"),
          row.get<std::string>("certificate"), row.get<bool>("is_operator"),
          optional_time(row, "revoked_at"),    time_of(row.get<std::string>("created_at"))};
}

constexpr const char* kKeyColumns = "SELECT key_id, member_urn, public_key, private_key, description FROM member_keys";

MemberKey key_of(const Row& row) {
  return {row.get<std::string>("key_id"), row.get<std::string>("member_urn"), row.get<std::string>("public_key"),
          row.get<std::string>("private_key"), row.get<std::string>("description")};
}

constexpr const char* kProjectColumns = "SELECT urn, name, uid, description, expires, created_at FROM projects";

Project project_of(const Row& row) {
  return {row.get<std::string>("urn"),   row.get<std::string>("name"),
          row.get<std::string>("uid"),   row.get<std::string>("description"),
          optional_time(row, "expires"), time_of(row.get<std::string>("created_at"))};
}

constexpr const char* kSliceColumns =
    "SELECT urn, uid, name, project_urn, description, owner_urn, certificate, expires, created_at FROM slices";

Slice slice_of(const Row& row) {
  return {row.get<std::string>("urn"),
          row.get<std::string>("uid"),
          row.get<std::string>("name"),
          row.get<std::optional<std::string>>("project_urn"),
          row.get<std::string>("description"),
          row.get<std::string>("owner_urn"),
          row.get<std::string>("certificate"),
          time_of(row.get<std::string>("expires")),
          time_of(row.get<std::string>("created_at"))};
}

constexpr const char* kSliverColumns =
    "SELECT urn, slice_urn, aggregate_urn, creator_urn, expires, created_at FROM sliver_info";

SliverInfo sliver_of(const Row& row) {
  return {row.get<std::string>("urn"),           row.get<std::string>("slice_urn"),
          row.get<std::string>("aggregate_urn"), row.get<std::string>("creator_urn"),
          optional_time(row, "expires"),         time_of(row.get<std::string>("created_at"))};
}

struct MembershipSql {
  const char* table;
  const char* object_column;
};

MembershipSql sql_of(MembershipTable table) {
  return table == MembershipTable::kSlice ? MembershipSql{"slice_members", "slice_urn"}
                                          : MembershipSql{"project_members", "project_urn"};
}

std::vector<Membership> memberships_where(store::Transaction& tx, MembershipTable table, const std::string& column,
                                          const std::string& urn) {
  const MembershipSql sql = sql_of(table);
  const std::string select = std::string("SELECT ") + sql.object_column + " AS object_urn, member_urn, role FROM " +
                             sql.table + " WHERE lower(" + column + ") = lower($1) ORDER BY object_urn, member_urn";
  return rows_to<Membership>(tx.query(select, urn), [](const Row& row) {
    return Membership{row.get<std::string>("object_urn"), row.get<std::string>("member_urn"),
                      parse_role(row.get<std::string>("role"))};
  });
}

std::string now_text() { return format_rfc3339(now_utc()); }

}  // namespace

store::MigrationSet ch_migrations(const std::filesystem::path& schema_dir) { return {schema_dir, "ch"}; }

void ChStore::insert_member(const Member& m) {
  tx_.exec(
      "INSERT INTO members (urn, username, email, first_name, last_name, uid, certificate, is_operator, created_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      m.urn, m.username, m.email, m.first_name, m.last_name, m.uid, m.certificate, m.is_operator,
      format_rfc3339(m.created_at));
}

std::optional<Member> ChStore::member(const std::string& urn) { return first(members({urn})); }

std::vector<Member> ChStore::members(const std::vector<std::string>& urns) {
  return rows_to<Member>(select_in(tx_, kMemberColumns, "urn", urns), member_of);
}

void ChStore::revoke_member(const std::string& urn, const std::string& serial, Timestamp at) {
  tx_.exec("UPDATE members SET revoked_at = $1 WHERE lower(urn) = lower($2)", format_rfc3339(at), urn);
  tx_.exec(
      "INSERT INTO revoked_certificates (serial, member_urn, revoked_at) VALUES ($1, $2, $3)"
      " ON CONFLICT DO NOTHING",
      serial, urn, format_rfc3339(at));
}

std::vector<RevokedCertificate> ChStore::revoked_certificates() {
  return rows_to<RevokedCertificate>(
      tx_.query("SELECT serial, member_urn, revoked_at FROM revoked_certificates ORDER BY revoked_at, serial"),
      [](const Row& row) {
        return RevokedCertificate{row.get<std::string>("serial"), row.get<std::string>("member_urn"),
                                  time_of(row.get<std::string>("revoked_at"))};
      });
}

void ChStore::insert_key(const MemberKey& k) {
  tx_.exec(
      "INSERT INTO member_keys (key_id, member_urn, public_key, private_key, description, created_at)"
      " VALUES ($1, $2, $3, $4, $5, $6)",
      k.id, k.member_urn, k.public_key, k.private_key, k.description, now_text());
}

std::optional<MemberKey> ChStore::key(const std::string& id) {
  return first(rows_to<MemberKey>(tx_.query(std::string(kKeyColumns) + " WHERE key_id = $1", id), key_of));
}

std::vector<MemberKey> ChStore::keys(const std::vector<std::string>& member_urns) {
  return rows_to<MemberKey>(select_in(tx_, kKeyColumns, "member_urn", member_urns), key_of);
}

void ChStore::delete_key(const std::string& id) { tx_.exec("DELETE FROM member_keys WHERE key_id = $1", id); }

void ChStore::insert_project(const Project& p) {
  tx_.exec("INSERT INTO projects (urn, name, uid, description, expires, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
           p.urn, p.name, p.uid, p.description, optional_text(p.expires), format_rfc3339(p.created_at));
}

std::optional<Project> ChStore::project(const std::string& urn) { return first(projects({urn})); }

std::vector<Project> ChStore::projects(const std::vector<std::string>& urns) {
  return rows_to<Project>(select_in(tx_, kProjectColumns, "urn", urns), project_of);
}

void ChStore::insert_slice(const Slice& s) {
  tx_.exec(
      "INSERT INTO slices (urn, uid, name, project_urn, description, owner_urn, certificate, expires, created_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      s.urn, s.uid, s.name, s.project_urn, s.description, s.owner_urn, s.certificate, format_rfc3339(s.expires),
      format_rfc3339(s.created_at));
}

std::optional<Slice> ChStore::slice(const std::string& urn) { return first(slices({urn})); }

std::vector<Slice> ChStore::slices(const std::vector<std::string>& urns) {
  return rows_to<Slice>(select_in(tx_, kSliceColumns, "urn", urns), slice_of);
}

void ChStore::update_slice(const Slice& s) {
  tx_.exec("UPDATE slices SET description = $1, expires = $2 WHERE urn = $3", s.description, format_rfc3339(s.expires),
           s.urn);
}

std::optional<Role> ChStore::role(MembershipTable table, const std::string& object_urn, const std::string& member_urn) {
  const MembershipSql sql = sql_of(table);
  const auto row = tx_.query_one(std::string("SELECT role FROM ") + sql.table + " WHERE lower(" + sql.object_column +
                                     ") = lower($1) AND lower(member_urn) = lower($2)",
                                 object_urn, member_urn);
  return row ? std::optional<Role>(parse_role(row->get<std::string>(0))) : std::nullopt;
}

std::vector<Membership> ChStore::memberships_of(MembershipTable table, const std::string& object_urn) {
  return memberships_where(tx_, table, sql_of(table).object_column, object_urn);
}

std::vector<Membership> ChStore::memberships_for(MembershipTable table, const std::string& member_urn) {
  return memberships_where(tx_, table, "member_urn", member_urn);
}

void ChStore::set_role(MembershipTable table, const Membership& m) {
  const MembershipSql sql = sql_of(table);
  const std::string role(role_name(m.role));
  const auto updated = tx_.exec(
      std::string("UPDATE ") + sql.table + " SET role = $1 WHERE " + sql.object_column + " = $2 AND member_urn = $3",
      role, m.object_urn, m.member_urn);
  if (updated == 0) {
    tx_.exec(
        std::string("INSERT INTO ") + sql.table + " (" + sql.object_column + ", member_urn, role) VALUES ($1, $2, $3)",
        m.object_urn, m.member_urn, role);
  }
}

void ChStore::remove_membership(MembershipTable table, const std::string& object_urn, const std::string& member_urn) {
  const MembershipSql sql = sql_of(table);
  tx_.exec(std::string("DELETE FROM ") + sql.table + " WHERE lower(" + sql.object_column +
               ") = lower($1) AND lower(member_urn) = lower($2)",
           object_urn, member_urn);
}

bool ChStore::share_slice_or_project(const std::string& a, const std::string& b) {
  const auto row = tx_.query_one(
      "SELECT COUNT(*) FROM slice_members x JOIN slice_members y ON x.slice_urn = y.slice_urn"
      " WHERE lower(x.member_urn) = lower($1) AND lower(y.member_urn) = lower($2)",
      a, b);
  if (row->get<std::int64_t>(0) > 0) return true;
  return tx_.query_one(
                "SELECT COUNT(*) FROM project_members x JOIN project_members y ON x.project_urn = y.project_urn"
                " WHERE lower(x.member_urn) = lower($1) AND lower(y.member_urn) = lower($2)",
                a, b)
             ->get<std::int64_t>(0) > 0;
}

void ChStore::insert_sliver(const SliverInfo& s) {
  tx_.exec(
      "INSERT INTO sliver_info (urn, slice_urn, aggregate_urn, creator_urn, expires, created_at)"
      " VALUES ($1, $2, $3, $4, $5, $6)",
      s.urn, s.slice_urn, s.aggregate_urn, s.creator_urn, optional_text(s.expires), format_rfc3339(s.created_at));
}

std::optional<SliverInfo> ChStore::sliver(const std::string& urn) {
  return first(
      rows_to<SliverInfo>(tx_.query(std::string(kSliverColumns) + " WHERE lower(urn) = lower($1)", urn), sliver_of));
}

std::vector<SliverInfo> ChStore::slivers_of(const std::string& slice_urn) {
  return rows_to<SliverInfo>(
      tx_.query(std::string(kSliverColumns) + " WHERE lower(slice_urn) = lower($1) ORDER BY urn", slice_urn),
      sliver_of);
}

void ChStore::update_sliver_expiry(const std::string& urn, std::optional<Timestamp> expires) {
  tx_.exec("UPDATE sliver_info SET expires = $1 WHERE lower(urn) = lower($2)", optional_text(expires), urn);
}

void ChStore::delete_sliver(const std::string& urn) {
  tx_.exec("DELETE FROM sliver_info WHERE lower(urn) = lower($1)", urn);
}

void ChStore::upsert_aggregate(const Aggregate& a) {
  tx_.exec("DELETE FROM aggregates WHERE lower(urn) = lower($1)", a.urn);
  tx_.exec(
      "INSERT INTO aggregates (urn, url, name, description, api_version, created_at)"
      " VALUES ($1, $2, $3, $4, $5, $6)",
      a.urn, a.url, a.name, a.description, a.api_version, now_text());
}

std::vector<Aggregate> ChStore::aggregates() {
  return rows_to<Aggregate>(
      tx_.query("SELECT urn, url, name, description, api_version FROM aggregates ORDER BY urn"), [](const Row& row) {
        return Aggregate{row.get<std::string>("urn"), row.get<std::string>("url"), row.get<std::string>("name"),
                         row.get<std::string>("description"), row.get<int>("api_version")};
      });
}

std::int64_t ChStore::delete_aggregate(const std::string& urn) {
  return tx_.exec("DELETE FROM aggregates WHERE lower(urn) = lower($1)", urn);
}

}  // namespace federa::ch
