// Sockets, request parsing (headers + Content-Length body) and canned answers.
#include "tests/support/http_test_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>

namespace gardefou::testing {

HttpTestServer::HttpTestServer(Handler handler, int port) : handler_(std::move(handler)) {
  listener_ = socket(AF_INET, SOCK_STREAM, 0);
  const int yes = 1;
  setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
  listen(listener_, 256);
  socklen_t length = sizeof address;
  getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

HttpTestServer::~HttpTestServer() {
  stopping_ = true;
  thread_.join();
  for (std::thread& t : connections_) t.join();
  close(listener_);
}

int HttpTestServer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(bodies_.size());
}

int HttpTestServer::answered() const { return answered_; }

std::string HttpTestServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/v1";
}

std::vector<std::string> HttpTestServer::bodies() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bodies_;
}

std::vector<std::string> HttpTestServer::heads() const {
  std::lock_guard<std::mutex> lock(mu_);
  return heads_;
}

void HttpTestServer::Serve() {
  while (!stopping_) {
    pollfd p{listener_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    const int connection = accept(listener_, nullptr, nullptr);
    if (connection >= 0) connections_.emplace_back([this, connection] { Handle(connection); });
  }
}

void HttpTestServer::Handle(int connection) {
  std::string request;
  char buffer[8192];
  size_t header_end = std::string::npos;
  size_t content_length = 0;
  while (true) {
    const ssize_t n = read(connection, buffer, sizeof buffer);
    if (n <= 0) break;
    request.append(buffer, static_cast<size_t>(n));
    if (header_end == std::string::npos) {
      header_end = request.find("\r\n\r\n");
      if (header_end == std::string::npos) continue;
      for (const char* name : {"Content-Length:", "content-length:"}) {
        const size_t at = request.find(name);
        if (at != std::string::npos && at < header_end) {
          content_length = std::strtoul(request.c_str() + at + 15, nullptr, 10);
        }
      }
    }
    if (request.size() >= header_end + 4 + content_length) break;
  }
  const std::string body =
      header_end == std::string::npos ? "" : request.substr(header_end + 4, content_length);
  {
    std::lock_guard<std::mutex> lock(mu_);
    bodies_.push_back(body);
    heads_.push_back(request.substr(0, header_end == std::string::npos ? request.size() : header_end));
  }
  const HttpReply reply = handler_(body);
  // The delay ends early when the server stops.
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(reply.delay_ms);
  while (!stopping_ && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const std::string response = "HTTP/1.1 " + std::to_string(reply.status) +
                               " X\r\nContent-Type: application/json\r\nContent-Length: " +
                               std::to_string(reply.body.size()) + "\r\n" + reply.headers +
                               "Connection: close\r\n\r\n" + reply.body;
  size_t sent = 0;
  while (sent < response.size()) {
    const ssize_t n = send(connection, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  close(connection);
  ++answered_;
}

}  // namespace gardefou::testing
