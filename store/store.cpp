#include "store/store.h"

#include "common/log.h"
#include "store/errors.h"
#include "store/pool.h"
#include "store/postgresql_connection.h"
#include "store/sqlite_connection.h"

#include <algorithm>
#include <random>
#include <thread>

namespace federa::store {
namespace {

// Stores with a transaction open on this thread: nesting would wait on itself.
thread_local std::vector<const Store*> open_here;

class NestingGuard {
 public:
  explicit NestingGuard(const Store* store) : store_(store) {
    if (std::find(open_here.begin(), open_here.end(), store) != open_here.end()) {
      throw Error("nested transaction on one store in one thread; pass the Transaction down");
    }
    open_here.push_back(store);
  }
  ~NestingGuard() { std::erase(open_here, store_); }
  NestingGuard(const NestingGuard&) = delete;
  NestingGuard& operator=(const NestingGuard&) = delete;

 private:
  const Store* store_;
};

// Full jitter: uniform in [0, min(100 ms, 1 ms * 2^attempt)].
std::chrono::microseconds backoff(int attempt) {
  thread_local std::minstd_rand random(std::random_device{}());
  const long ceiling = std::min(100'000L, 1000L << std::min(attempt, 7));
  return std::chrono::microseconds(std::uniform_int_distribution<long>(0, ceiling)(random));
}

void rollback_quietly(Connection& connection) {
  try {
    connection.rollback();
  } catch (const std::exception&) {
    // The backend marks itself unhealthy; the pool drops it.
  }
}

// "scheme" of "scheme://...", empty for a plain path.
std::string scheme_of(const std::string& uri) {
  const auto colon = uri.find("://");
  if (colon == std::string::npos) return "";
  const std::string scheme = uri.substr(0, colon);
  const bool word = !scheme.empty() && std::all_of(scheme.begin(), scheme.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  });
  return word ? scheme : "";
}

}  // namespace

std::string_view dialect_name(Dialect dialect) {
  return dialect == Dialect::sqlite ? "sqlite" : "postgresql";
}

Store::Store(Dialect dialect, std::unique_ptr<ConnectionPool> pool, StoreOptions options)
    : dialect_(dialect), pool_(std::move(pool)), options_(options) {}

Store::~Store() = default;

void Store::run(TxMode mode, const std::function<void(Transaction&)>& fn) {
  NestingGuard guard(this);
  for (int attempt = 1;; ++attempt) {
    auto connection = pool_->acquire();
    Transaction tx(*connection);
    try {
      connection->begin(mode);
      fn(tx);
      if (tx.failure()) std::rethrow_exception(tx.failure());
      connection->commit();
      return;
    } catch (const std::exception& e) {
      rollback_quietly(*connection);
      const bool transient = tx.failed_transiently() || dynamic_cast<const TransientError*>(&e);
      if (!transient) throw;
      if (attempt >= options_.max_attempts) {
        throw TransientError("gave up after " + std::to_string(attempt) + " attempts: " +
                             e.what());
      }
      logger("store")->debug("event=retry attempt={} error={}", attempt, log_value(e.what()));
    } catch (...) {
      rollback_quietly(*connection);
      throw;
    }
    std::this_thread::sleep_for(backoff(attempt));
  }
}

std::unique_ptr<Store> open_store(const std::string& uri, const StoreOptions& options) {
  const std::string scheme = scheme_of(uri);
  if (scheme == "postgresql" || scheme == "postgres") {
    auto pool = std::make_unique<ConnectionPool>(postgresql_factory(uri), options.max_connections);
    pool->acquire();  // connect now, so a bad URI fails at start and not at the first request
    return std::make_unique<Store>(Dialect::postgresql, std::move(pool), options);
  }
  if (scheme == "sqlite" || scheme.empty()) {
    const std::string path = scheme.empty() ? uri : uri.substr(scheme.size() + 3);
    auto pool = std::make_unique<ConnectionPool>(sqlite_factory(path, options.busy_timeout),
                                                 options.max_connections);
    pool->acquire();
    return std::make_unique<Store>(Dialect::sqlite, std::move(pool), options);
  }
  throw Error("unknown database URI scheme '" + scheme + "' in '" + uri +
              "'; use sqlite:///path/to/file.db or postgresql://user@host:port/database");
}

std::unique_ptr<Store> open_store(const std::string& uri, const MigrationSet& migrations,
                                  const StoreOptions& options) {
  auto store = open_store(uri, options);
  migrate(*store, migrations);
  return store;
}

}  // namespace federa::store
