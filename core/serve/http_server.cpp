#include "serve/http_server.hpp"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

#include "common/environment_error.hpp"
#include "serve/explorer_assets.hpp"

namespace pathways {
namespace {

/// The page may load only what this server serves, and talk only to it: no other host is reachable
/// from it whatever its script does, and it cannot be framed by another site.
constexpr const char* content_security_policy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

void send(const api_reply& reply, httplib::Response& response) {
    response.status = reply.status;
    for (const auto& [name, value] : reply.headers) response.set_header(name, value);
    response.set_content(reply.body, reply.content_type);
}

/// The parameters of the URL's query only: httplib also adds those of a form-encoded body to
/// `params`, and a scenario posted as a form (curl --data) would be read as query parameters.
query_parameters query_of(const httplib::Request& request) {
    query_parameters query;
    const auto mark = request.target.find('?');
    if (mark != std::string::npos) httplib::detail::parse_query_text(request.target.substr(mark + 1), query);
    return query;
}

std::string host_name(const std::string& host_header) {
    if (host_header.starts_with('[')) return host_header.substr(0, host_header.find(']') + 1);
    return host_header.substr(0, host_header.find(':'));
}

/// A page on another site may send requests to the server, and a DNS name rebound to its address may
/// read its answers: only the allowed host names are answered (whatever the bind address), and a
/// request sent from a page names this server as its origin.
std::string refused_because(const httplib::Request& request, const std::vector<std::string>& allowed_hosts) {
    const std::string host = request.get_header_value("Host");
    const std::string name = host_name(host);
    if (std::find(allowed_hosts.begin(), allowed_hosts.end(), name) == allowed_hosts.end()) {
        std::string expected;
        for (const std::string& allowed : allowed_hosts) expected += (expected.empty() ? "" : " or ") + allowed;
        return "host '" + host + "' is not a name of this server; expected " + expected;
    }
    const std::string origin = request.get_header_value("Origin");
    if (!origin.empty() && origin != "http://" + host)
        return "origin '" + origin + "' is another site; the API answers only its own page";
    return {};
}

const char* status_meaning(int status) {
    switch (status) {
        case 400: return "bad request";
        case 403: return "forbidden";
        case 404: return "not found";
        case 405: return "method not allowed";
        case 411: return "length required";
        case 413: return "the request is larger than the limit";
        default: return "request failed";
    }
}

void add_routes(httplib::Server& server, explorer_api& api) {
    for (const explorer_asset& asset : explorer_assets()) {
        server.Get(std::string(asset.path), [&asset](const httplib::Request&, httplib::Response& response) {
            response.set_content(asset.bytes.data(), asset.bytes.size(), std::string(asset.content_type).c_str());
        });
    }
    server.Get("/api/scenario", [&api](const httplib::Request&, httplib::Response& r) { send(api.scenario(), r); });
    server.Get("/api/graph", [&api](const httplib::Request&, httplib::Response& r) { send(api.graph(), r); });
    server.Get("/api/plugins", [&api](const httplib::Request&, httplib::Response& r) { send(api.plugins(), r); });
    server.Post("/api/validate",
                [&api](const httplib::Request& q, httplib::Response& r) { send(api.validate(q.body), r); });
    server.Post("/api/run",
                [&api](const httplib::Request& q, httplib::Response& r) { send(api.run(q.body, query_of(q)), r); });
    server.Post("/api/cancel",
                [&api](const httplib::Request& q, httplib::Response& r) { send(api.cancel(query_of(q)), r); });
}

/// httplib gives each connection a thread of its pool for as long as the connection is kept alive,
/// and a browser keeps up to six open: with its default pool of eight, a page that cancels and
/// restarts runs waited seconds for a free thread. Sixteen, and idle connections closed soon; runs
/// themselves are limited by the API (explorer_limits), not by the pool.
constexpr std::size_t connection_threads = 16;
constexpr time_t keep_alive_seconds = 1;

/// httplib's ThreadPool starts its threads in its constructor and, when the system refuses one
/// (a low `ulimit -v` or `ulimit -u`), destroys the ones it started unjoined: std::terminate. This
/// pool starts what the system allows, joins what it started if it can start none, and says why.
class connection_pool final : public httplib::TaskQueue {
public:
    explicit connection_pool(std::size_t wanted) {
        std::string refused;
        for (std::size_t i = 0; i < wanted && refused.empty(); ++i) {
            try {
                threads_.emplace_back([this] { work(); });
            } catch (const std::system_error& error) {
                refused = error.code().message();
            }
        }
        if (threads_.empty()) {
            throw environment_error("cannot start the server's connection threads: " + refused +
                                    "; raise the process limits (ulimit -v, ulimit -u)");
        }
    }
    connection_pool(const connection_pool&) = delete;
    connection_pool& operator=(const connection_pool&) = delete;
    ~connection_pool() override { shutdown(); }

    void enqueue(std::function<void()> job) override {
        {
            const std::lock_guard lock(mutex_);
            jobs_.push_back(std::move(job));
        }
        ready_.notify_one();
    }

    void shutdown() override {
        {
            const std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        ready_.notify_all();
        for (std::thread& thread : threads_)
            if (thread.joinable()) thread.join();
    }

private:
    void work() {
        for (;;) {
            std::function<void()> job;
            {
                std::unique_lock lock(mutex_);
                ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
                if (jobs_.empty()) return;  // stopping, nothing left to do
                job = std::move(jobs_.front());
                jobs_.pop_front();
            }
            job();
        }
    }

    std::vector<std::thread> threads_;
    std::deque<std::function<void()>> jobs_;
    std::mutex mutex_;
    std::condition_variable ready_;
    bool stopping_ = false;
};

/// A body sent in chunks has no length to check before it is read, and httplib reads it whole
/// before any limit applies: the API takes only bodies that state their length (browsers always do).
bool is_chunked(const httplib::Request& request) {
    return request.has_header("Transfer-Encoding") && request.get_header_value("Transfer-Encoding") != "identity";
}

void configure(httplib::Server& server, explorer_api& api, std::vector<std::string> allowed_hosts,
               std::unique_ptr<connection_pool>& pool) {
    server.new_task_queue = [&pool] { return pool.release(); };
    // httplib's default also sets SO_REUSEPORT, with which a second server on the same port starts
    // and silently shares it; a port in use must be an error. SO_REUSEADDR alone lets a restarted
    // server bind while the last one's connections wind down.
    server.set_socket_options([](socket_t socket) {
        const int yes = 1;
        ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    server.set_keep_alive_timeout(keep_alive_seconds);
    server.set_payload_max_length(api.limits().max_body_bytes);
    server.set_default_headers({{"Content-Security-Policy", content_security_policy},
                                {"X-Content-Type-Options", "nosniff"},
                                {"Referrer-Policy", "no-referrer"},
                                {"Cache-Control", "no-store"}});
    server.set_pre_routing_handler(
        [allowed_hosts = std::move(allowed_hosts)](const httplib::Request& request, httplib::Response& response) {
            // Debian's httplib compresses every text answer with Brotli at its slowest setting when the
            // client accepts it (browsers do): seconds for a projection on loopback, where size costs
            // nothing. httplib has no switch for it, so the request forgets what it accepts; the
            // Request is httplib's own non-const object, handed to this handler as const.
            const_cast<httplib::Request&>(request).headers.erase("Accept-Encoding");
            const std::string refused = refused_because(request, allowed_hosts);
            if (!refused.empty()) {
                send(error_reply(403, refused), response);
                return httplib::Server::HandlerResponse::Handled;
            }
            if (is_chunked(request)) {
                send(error_reply(411,
                                 "a body sent in chunks (Transfer-Encoding) cannot be checked against the "
                                 "size limit before it is read; expected a Content-Length"),
                     response);
                response.set_header("Connection", "close");
                return httplib::Server::HandlerResponse::Handled;
            }
            return httplib::Server::HandlerResponse::Unhandled;
        });
    server.set_error_handler([](const httplib::Request& request, httplib::Response& response) {
        if (!response.body.empty()) return;
        const int status = response.status;
        send(error_reply(status, std::string(status_meaning(status)) + ": " + request.method + " " + request.path),
             response);
    });
    server.set_exception_handler([](const httplib::Request&, httplib::Response& response, std::exception_ptr error) {
        std::string what = "unknown error";
        try {
            std::rethrow_exception(error);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        send(error_reply(500, "the server failed: " + what), response);
    });
    add_routes(server, api);
}

}  // namespace

bool is_loopback_address(const std::string& address) {
    return address == "localhost" || address == "::1" || address.starts_with("127.");
}

std::string serve_explorer(explorer_api& api, const server_options& options, const std::atomic<bool>& stop,
                           const std::function<void(int port)>& listening) {
    httplib::Server server;
    std::vector<std::string> allowed = options.allowed_hosts;
    if (is_loopback_address(options.address)) allowed.insert(allowed.end(), {"127.0.0.1", "localhost", "[::1]"});
    auto pool = std::make_unique<connection_pool>(connection_threads);  // before any other thread starts
    configure(server, api, std::move(allowed), pool);
    const int port = options.port == 0 ? server.bind_to_any_port(options.address)
                                       : (server.bind_to_port(options.address, options.port) ? options.port : -1);
    if (port < 0) {
        return "cannot listen on " + options.address + ":" + std::to_string(options.port) +
               ": the port is in use or the address is not one of this machine's; expected a free port "
               "(--port 0 picks one)";
    }
    std::atomic<bool> ended{false};  // listen_after_bind returned on its own (the socket failed)
    std::thread stopper([&server, &stop, &ended] {
        while (!stop.load() && !ended.load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        server.stop();
    });
    listening(port);
    const bool served = server.listen_after_bind();
    ended = true;
    stopper.join();
    if (!served && !stop.load()) return "the server on " + options.address + ":" + std::to_string(port) + " failed";
    return {};
}

}  // namespace pathways
