// A fixed set of threads with a bounded queue: gRPC reactors hand work here and never block.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace gardefou::server {

class WorkerPool {
 public:
  // Starts `threads` workers; at most `max_queue` tasks wait at once.
  WorkerPool(int threads, size_t max_queue);
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;
  // Runs every queued task, then joins the workers.
  ~WorkerPool();

  // Queues `task`; false (and `task` is not run) when the queue is full or the pool stopping.
  bool TrySubmit(std::function<void()> task);

 private:
  void Run();
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  size_t max_queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace gardefou::server
