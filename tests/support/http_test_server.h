// A minimal HTTP/1.1 server on a loopback port, standing for an AI vendor in tests: it records
// every request body and answers what the test's handler returns, after an optional delay.
// Each connection is served on its own thread, so slow answers overlap as with a real vendor.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace gardefou::testing {

struct HttpReply {
  HttpReply(int status, std::string body) : status(status), body(std::move(body)) {}
  HttpReply(std::pair<int, std::string> reply)  // NOLINT: handlers may return a pair
      : status(reply.first), body(std::move(reply.second)) {}
  int status;
  std::string body;
  std::string headers;  // extra header lines, each ending in "\r\n" (e.g. Retry-After)
  int delay_ms = 0;     // wait before answering: a slow vendor
};

class HttpTestServer {
 public:
  // The answer to one request body.
  using Handler = std::function<HttpReply(const std::string& body)>;

  // `port` 0 picks a free port.
  explicit HttpTestServer(Handler handler, int port = 0);
  ~HttpTestServer();
  HttpTestServer(const HttpTestServer&) = delete;
  HttpTestServer& operator=(const HttpTestServer&) = delete;

  // "http://127.0.0.1:PORT/v1"
  std::string base_url() const;
  // Every request body received so far, in order.
  std::vector<std::string> bodies() const;
  // The request line and headers of every request, in the same order.
  std::vector<std::string> heads() const;
  // Requests received so far; answers fully written so far (a client that gave up is not
  // waited for: its answer counts once the delay has passed).
  int requests() const;
  int answered() const;

 private:
  void Serve();
  void Handle(int connection);

  Handler handler_;
  std::atomic<int> answered_{0};
  std::vector<std::thread> connections_;  // touched by the accept thread only
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;
  std::vector<std::string> bodies_;
  std::vector<std::string> heads_;
  std::thread thread_;
};

}  // namespace gardefou::testing
