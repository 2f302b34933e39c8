#include "store/sqlite_connection.h"

#include "store/errors.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace federa::store {
namespace {

constexpr std::size_t kCachedStatements = 256;

struct FinalizeStatement {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using Statement = std::unique_ptr<sqlite3_stmt, FinalizeStatement>;

// Resets a statement (and drops its bindings) when a step loop ends, however it ends.
class ResetOnExit {
 public:
  explicit ResetOnExit(sqlite3_stmt* statement) : statement_(statement) {}
  ~ResetOnExit() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  sqlite3_stmt* statement_;
};

bool only_blanks(const char* text, const char* end) {
  for (; text < end; ++text) {
    if (!std::isspace(static_cast<unsigned char>(*text)) && *text != ';') return false;
  }
  return true;
}

// The N of a "$N" parameter name, or 0.
std::size_t parameter_number(const char* name) {
  if (name == nullptr || name[0] != '$') return 0;
  const char* end = name + std::strlen(name);
  std::size_t number = 0;
  auto [ptr, ec] = std::from_chars(name + 1, end, number);
  return ec == std::errc() && ptr == end ? number : 0;
}

Cell read_cell(sqlite3_stmt* statement, int column) {
  switch (sqlite3_column_type(statement, column)) {
    case SQLITE_INTEGER:
      return std::int64_t{sqlite3_column_int64(statement, column)};
    case SQLITE_FLOAT:
      return sqlite3_column_double(statement, column);
    case SQLITE_NULL:
      return std::monostate{};
    default: {  // TEXT or BLOB
      const auto* bytes = static_cast<const char*>(sqlite3_column_blob(statement, column));
      return std::string(bytes ? bytes : "", sqlite3_column_bytes(statement, column));
    }
  }
}

void create_private_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw Error("cannot open database file " + path + ": " + std::strerror(errno) +
                " (does its directory exist and is it writable?)");
  }
  ::close(fd);
}

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(const std::string& path, std::chrono::milliseconds busy_timeout,
                   std::shared_ptr<std::mutex> writers)
      : writers_(std::move(writers)) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
      const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close_v2(db_);
      throw Error("cannot open SQLite database " + path + ": " + message);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, static_cast<int>(busy_timeout.count()));
    try {
      configure(busy_timeout);
    } catch (...) {
      sqlite3_close_v2(db_);
      throw;
    }
  }
  ~SqliteConnection() override {
    cache_.clear();
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::sqlite; }
  bool healthy() const override { return healthy_; }

  void begin(TxMode mode) override {
    mode_ = mode;
    if (mode == TxMode::read_only) {
      step_simple("BEGIN DEFERRED");
      return;
    }
    write_turn_ = std::unique_lock(*writers_);
    try {
      step_simple("BEGIN IMMEDIATE");
    } catch (...) {
      write_turn_ = {};
      throw;
    }
  }

  void commit() override {
    step_simple("COMMIT");
    write_turn_ = {};
  }

  void rollback() override {
    try {
      if (!sqlite3_get_autocommit(db_)) step_simple("ROLLBACK");
    } catch (...) {
      healthy_ = false;
      write_turn_ = {};
      throw;
    }
    write_turn_ = {};
  }

  Result execute(std::string_view sql, std::span<const Param> params) override {
    sqlite3_stmt* statement = prepare(sql);
    ResetOnExit reset(statement);
    if (mode_ == TxMode::read_only && !sqlite3_stmt_readonly(statement)) {
      throw Error("write statement in a read-only transaction: " + std::string(sql));
    }
    bind(statement, params, sql);
    const auto changes_before = sqlite3_total_changes64(db_);
    Result result;
    std::shared_ptr<std::vector<std::string>> columns;
    for (;;) {
      const int code = sqlite3_step(statement);
      if (code == SQLITE_DONE) break;
      if (code != SQLITE_ROW) fail(sql);
      if (!columns) columns = column_names(statement);
      std::vector<Cell> cells;
      cells.reserve(columns->size());
      for (int i = 0; i < static_cast<int>(columns->size()); ++i) {
        cells.push_back(read_cell(statement, i));
      }
      result.rows.emplace_back(columns, std::move(cells));
    }
    if (sqlite3_total_changes64(db_) != changes_before) result.affected_rows = sqlite3_changes64(db_);
    return result;
  }

  void execute_script(std::string_view sql) override {
    if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
      fail(sql);
    }
  }

 private:
  // Switching a new database to WAL needs a lock SQLite does not wait for with its busy handler,
  // so processes opening one fresh file at once retry here until the busy timeout.
  void configure(std::chrono::milliseconds busy_timeout) {
    const auto deadline = std::chrono::steady_clock::now() + busy_timeout;
    for (;;) {
      try {
        execute_script("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON");
        return;
      } catch (const TransientError&) {
        if (std::chrono::steady_clock::now() >= deadline) throw;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  [[noreturn]] void fail(std::string_view sql) {
    const int code = sqlite3_extended_errcode(db_);
    const std::string message = std::string(sqlite3_errmsg(db_)) + " in: " + std::string(sql);
    if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
      throw ConflictError(message);
    }
    if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED) {
      throw TransientError(message);
    }
    throw Error(message);
  }

  void step_simple(std::string_view sql) {
    sqlite3_stmt* statement = prepare(sql);
    ResetOnExit reset(statement);
    if (sqlite3_step(statement) != SQLITE_DONE) fail(sql);
  }

  sqlite3_stmt* prepare(std::string_view sql) {
    std::string key(sql);
    if (auto found = cache_.find(key); found != cache_.end()) return found->second.get();
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &raw, &tail) != SQLITE_OK) {
      fail(sql);
    }
    Statement statement(raw);
    if (!statement) throw Error("empty SQL statement");
    if (!only_blanks(tail, sql.data() + sql.size())) {
      throw Error("one statement per call (use execute_script for several): " + key);
    }
    if (cache_.size() >= kCachedStatements) cache_.clear();
    return cache_.emplace(std::move(key), std::move(statement)).first->second.get();
  }

  static void bind(sqlite3_stmt* statement, std::span<const Param> params, std::string_view sql) {
    std::size_t highest = 0;
    for (int i = 1; i <= sqlite3_bind_parameter_count(statement); ++i) {
      const char* name = sqlite3_bind_parameter_name(statement, i);
      const std::size_t number = parameter_number(name);
      if (number == 0 || number > params.size()) {
        throw Error("parameter " + std::string(name ? name : "?") + " has no value (" +
                    std::to_string(params.size()) + " passed; write $1, $2, ...): " +
                    std::string(sql));
      }
      highest = std::max(highest, number);
      bind_one(statement, i, params[number - 1]);
    }
    if (highest != params.size()) {
      throw Error(std::to_string(params.size()) + " parameters passed but the statement uses " +
                  std::to_string(highest) + ": " + std::string(sql));
    }
  }

  static void bind_one(sqlite3_stmt* statement, int index, const Param& value) {
    // Values outlive the step loop (ResetOnExit clears them), so SQLITE_STATIC is safe.
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::monostate>) {
            sqlite3_bind_null(statement, index);
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            sqlite3_bind_int64(statement, index, v);
          } else if constexpr (std::is_same_v<T, double>) {
            sqlite3_bind_double(statement, index, v);
          } else if constexpr (std::is_same_v<T, bool>) {
            sqlite3_bind_int(statement, index, v ? 1 : 0);
          } else {
            sqlite3_bind_text64(statement, index, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
          }
        },
        value);
  }

  static std::shared_ptr<std::vector<std::string>> column_names(sqlite3_stmt* statement) {
    auto names = std::make_shared<std::vector<std::string>>();
    for (int i = 0; i < sqlite3_column_count(statement); ++i) {
      names->emplace_back(sqlite3_column_name(statement, i));
    }
    return names;
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, Statement> cache_;
  std::shared_ptr<std::mutex> writers_;
  std::unique_lock<std::mutex> write_turn_;
  TxMode mode_ = TxMode::read_write;
  bool healthy_ = true;
};

}  // namespace

ConnectionPool::Factory sqlite_factory(const std::string& path,
                                       std::chrono::milliseconds busy_timeout) {
  if (path.empty() || path == ":memory:") {
    throw Error("SQLite needs a database file path (an in-memory database cannot be shared by "
                "the connection pool): sqlite:///var/lib/federa/am.db");
  }
  // Once, before any connection: closing a descriptor of the file drops every POSIX lock this
  // process holds on it, so a pool that grew later would lose its connections' locks.
  create_private_file(path);
  auto writers = std::make_shared<std::mutex>();
  return [path, busy_timeout, writers] {
    return std::make_unique<SqliteConnection>(path, busy_timeout, writers);
  };
}

}  // namespace federa::store
