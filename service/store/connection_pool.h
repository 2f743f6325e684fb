// A fixed set of connections of one engine, lent one at a time: a reader waits until one is
// free and gives it back when its lease ends. Thread-safe.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace gardefou::store {

template <typename Connection>
class ConnectionPool {
 public:
  // A connection lent until the lease is destroyed.
  class Lease {
   public:
    Lease(ConnectionPool& pool, Connection* conn) : pool_(pool), conn_(conn) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { pool_.GiveBack(conn_); }
    Connection& operator*() const { return *conn_; }
    Connection* operator->() const { return conn_; }

   private:
    ConnectionPool& pool_;
    Connection* conn_;
  };

  void Add(std::unique_ptr<Connection> conn) {
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(conn.get());
    all_.push_back(std::move(conn));
  }

  // Waits for a free connection (the pool must not be empty).
  Lease Borrow() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return !free_.empty(); });
    Connection* conn = free_.back();
    free_.pop_back();
    return Lease(*this, conn);
  }

 private:
  void GiveBack(Connection* conn) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      free_.push_back(conn);
    }
    cv_.notify_one();
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> all_;
  std::vector<Connection*> free_;
};

}  // namespace gardefou::store
