#include "store/postgresql_connection.h"

#include "store/errors.h"

#include <pqxx/pqxx>

#include <cctype>
#include <charconv>
#include <optional>
#include <type_traits>

namespace federa::store {
namespace {

// Any constant shared by every federa process: migrations of all services queue on it.
constexpr std::string_view kMigrationLock = "SELECT pg_advisory_xact_lock(1717920869)";

// PostgreSQL type OIDs (pg_type.dat) read into typed cells; every other type stays text.
constexpr pqxx::oid kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kFloat4 = 700,
                    kFloat8 = 701;

std::string param_text(const Param& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          return v;
        } else if constexpr (std::is_same_v<T, bool>) {
          return v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::monostate>) {
          return "";
        } else {
          char buffer[64];
          auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
          return std::string(buffer, ptr);
        }
      },
      value);
}

template <class T>
std::optional<T> parse(const pqxx::field& field) {
  T value{};
  const char* end = field.c_str() + field.size();
  auto [ptr, ec] = std::from_chars(field.c_str(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

Cell read_cell(const pqxx::field& field, pqxx::oid type) {
  if (field.is_null()) return std::monostate{};
  if (type == kBool) return std::int64_t{field.c_str()[0] == 't' ? 1 : 0};
  if (type == kInt8 || type == kInt2 || type == kInt4) {
    if (auto value = parse<std::int64_t>(field)) return *value;
  }
  if (type == kFloat4 || type == kFloat8) {
    if (auto value = parse<double>(field)) return *value;
  }
  return std::string(field.c_str(), field.size());
}

// PQcmdTuples counts the rows a SELECT returned too; the store counts only rows written.
bool is_plain_query(std::string_view sql) {
  const auto start = sql.find_first_not_of(" \t\r\n(");
  if (start == std::string_view::npos) return false;
  std::string keyword;
  for (char c : sql.substr(start, 8)) {
    if (!std::isalpha(static_cast<unsigned char>(c))) break;
    keyword += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return keyword == "SELECT" || keyword == "VALUES" || keyword == "TABLE" || keyword == "SHOW";
}

Result to_result(const pqxx::result& raw, std::string_view sql) {
  auto columns = std::make_shared<std::vector<std::string>>();
  std::vector<pqxx::oid> types;
  for (pqxx::row::size_type i = 0; i < raw.columns(); ++i) {
    columns->emplace_back(raw.column_name(i));
    types.push_back(raw.column_type(i));
  }
  Result result;
  result.affected_rows = is_plain_query(sql) ? 0 : raw.affected_rows();
  result.rows.reserve(raw.size());
  for (const auto& raw_row : raw) {
    std::vector<Cell> cells;
    cells.reserve(types.size());
    for (pqxx::row::size_type i = 0; i < raw_row.size(); ++i) {
      cells.push_back(read_cell(raw_row[i], types[i]));
    }
    result.rows.emplace_back(columns, std::move(cells));
  }
  return result;
}

bool transient_state(const std::string& sqlstate) {
  return sqlstate == "40001" || sqlstate == "40P01";
}

std::unique_ptr<pqxx::connection> connect(const std::string& uri) {
  try {
    return std::make_unique<pqxx::connection>(uri);
  } catch (const pqxx::broken_connection& e) {
    throw Error(std::string("cannot connect to PostgreSQL: ") + e.what());
  }
}

class PostgresqlConnection final : public Connection {
 public:
  explicit PostgresqlConnection(const std::string& uri) : connection_(connect(uri)) {
    translate("SET", [&] {
      pqxx::nontransaction(*connection_).exec("SET client_min_messages TO warning");
    });
  }
  ~PostgresqlConnection() override {
    if (tx_) rollback_silently();
  }

  Dialect dialect() const override { return Dialect::postgresql; }
  bool healthy() const override { return healthy_ && connection_->is_open(); }

  void begin(TxMode mode) override {
    translate("BEGIN", [&] {
      switch (mode) {
        case TxMode::read_write:
          tx_ = std::make_unique<pqxx::transaction<pqxx::serializable>>(*connection_);
          break;
        case TxMode::read_only:
          tx_ = std::make_unique<pqxx::transaction<pqxx::serializable, pqxx::read_only>>(
              *connection_);
          break;
        case TxMode::schema:
          tx_ = std::make_unique<pqxx::transaction<pqxx::read_committed>>(*connection_);
          tx_->exec(std::string(kMigrationLock));
          break;
      }
    });
  }

  void commit() override {
    translate("COMMIT", [&] { tx_->commit(); });
    tx_.reset();
  }

  void rollback() override {
    if (tx_) rollback_silently();
  }

  Result execute(std::string_view sql, std::span<const Param> params) override {
    std::vector<std::string> texts;
    texts.reserve(params.size());
    for (const Param& param : params) texts.push_back(param_text(param));
    std::vector<const char*> values;
    for (std::size_t i = 0; i < params.size(); ++i) {
      const bool null = std::holds_alternative<std::monostate>(params[i]);
      values.push_back(null ? nullptr : texts[i].c_str());
    }
    return translate(sql, [&] {
      return to_result(
          tx_->exec_params(std::string(sql), pqxx::prepare::make_dynamic_params(values)), sql);
    });
  }

  void execute_script(std::string_view sql) override {
    translate(sql, [&] { tx_->exec(std::string(sql)); });
  }

 private:
  // Runs a libpqxx call, turning its exceptions into the store's.
  template <class F>
  std::invoke_result_t<F&> translate(std::string_view sql, F&& call) {
    const auto context = [&](const std::exception& e) {
      return std::string(e.what()) + " in: " + std::string(sql);
    };
    try {
      return call();
    } catch (const pqxx::unique_violation& e) {
      throw ConflictError(context(e));
    } catch (const pqxx::transaction_rollback& e) {
      throw TransientError(context(e));
    } catch (const pqxx::in_doubt_error& e) {
      healthy_ = false;
      throw Error("the connection to PostgreSQL was lost during COMMIT, so whether the "
                  "transaction committed is unknown: " + context(e));
    } catch (const pqxx::broken_connection& e) {
      healthy_ = false;
      throw TransientError(context(e));
    } catch (const pqxx::sql_error& e) {
      if (transient_state(e.sqlstate())) throw TransientError(context(e));
      throw Error(context(e));
    } catch (const pqxx::failure& e) {
      throw Error(context(e));
    } catch (const pqxx::usage_error& e) {
      throw Error(context(e));
    }
  }

  void rollback_silently() noexcept {
    try {
      tx_->abort();
    } catch (const std::exception&) {
      healthy_ = false;
    }
    tx_.reset();
  }

  std::unique_ptr<pqxx::connection> connection_;
  std::unique_ptr<pqxx::transaction_base> tx_;
  bool healthy_ = true;
};

}  // namespace

ConnectionPool::Factory postgresql_factory(const std::string& uri) {
  return [uri] { return std::make_unique<PostgresqlConnection>(uri); };
}

}  // namespace federa::store
