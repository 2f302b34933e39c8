// Internal: a bounded pool of connections of one database. acquire() hands out an idle
// connection, opens a new one while fewer than `capacity` exist, or waits for one to come back.
// A lease returns its connection when destroyed; an unhealthy connection is closed instead.
#pragma once

#include "store/connection.h"

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace federa::store {

class ConnectionPool {
 public:
  using Factory = std::function<std::unique_ptr<Connection>()>;

  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<Connection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { pool_.give_back(std::move(connection_)); }
    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_.get(); }

   private:
    ConnectionPool& pool_;
    std::unique_ptr<Connection> connection_;
  };

  ConnectionPool(Factory factory, std::size_t capacity);

  Lease acquire();

 private:
  void give_back(std::unique_ptr<Connection> connection);

  Factory factory_;
  std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t open_ = 0;  // idle plus leased
};

}  // namespace federa::store
