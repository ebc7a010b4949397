#pragma once
/// \file
/// The explorer's web server: the embedded page and the JSON API of explorer_api over HTTP/1.1
/// (cpp-httplib), on loopback unless told otherwise.

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "serve/explorer_api.hpp"

namespace pathways {

inline constexpr const char* loopback_address = "127.0.0.1";

struct server_options {
    std::string address = loopback_address;
    int port = 8321;  ///< 0: any free port
    /// Host names (as browsers send them in Host, without the port) the server answers besides the
    /// loopback names it answers on a loopback address; the only ones it answers on any other address.
    std::vector<std::string> allowed_hosts;
};

/// Whether `address` reaches only this machine (127.0.0.0/8, ::1, localhost).
bool is_loopback_address(const std::string& address);

/// Serves `api` and the page until `stop` is set. Calls `listening` with the port once it is bound.
/// Returns an empty string when it stopped as asked, else why it could not serve ("cannot listen on
/// 127.0.0.1:8321: the port is in use or the address is not this machine's").
std::string serve_explorer(explorer_api& api, const server_options& options, const std::atomic<bool>& stop,
                           const std::function<void(int port)>& listening);

}  // namespace pathways
