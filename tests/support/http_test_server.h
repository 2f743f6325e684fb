// A minimal HTTP/1.1 server on a loopback port, standing for an AI vendor in tests: it records
// every request body and answers what the test's handler returns. One connection at a time.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace gardefou::testing {

class HttpTestServer {
 public:
  // Returns (HTTP status, JSON body) for a request body.
  using Handler = std::function<std::pair<int, std::string>(const std::string& body)>;

  explicit HttpTestServer(Handler handler);
  ~HttpTestServer();
  HttpTestServer(const HttpTestServer&) = delete;
  HttpTestServer& operator=(const HttpTestServer&) = delete;

  // "http://127.0.0.1:PORT/v1"
  std::string base_url() const;
  // Every request body received so far, in order.
  std::vector<std::string> bodies() const;
  // The request line and headers of every request, in the same order.
  std::vector<std::string> heads() const;

 private:
  void Serve();
  void Handle(int connection);

  Handler handler_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;
  std::vector<std::string> bodies_;
  std::vector<std::string> heads_;
  std::thread thread_;
};

}  // namespace gardefou::testing
