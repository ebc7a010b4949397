#pragma once
/// \file
/// The explorer's JSON API (`pathways serve`), independent of the HTTP server so it is tested
/// without one. Every document goes through the validator and the run layer the CLI uses, with the
/// same messages; suppression of small groups applies to every answer and cannot be turned off.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plugin/registry.hpp"

namespace pathways {

/// An answer to one request: a status, its body, and extra headers (Server-Timing on runs).
struct api_reply {
    int status = 200;
    std::string content_type = "application/json; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers{};
};

/// Query parameters as the HTTP server parses them (`?draws=200&variant=pilot_only`).
using query_parameters = std::multimap<std::string, std::string>;

/// What a request may ask for.
struct explorer_limits {
    std::size_t max_body_bytes = 1u << 20;           ///< larger documents are refused with 413
    std::int64_t max_draws = 2000;                   ///< draws a run may ask for
    std::chrono::milliseconds max_run_time{30'000};  ///< a longer run is cancelled (503)
    /// Variants a posted document may declare: validating or running each costs time no deadline can stop
    /// part-way, so more are refused (413) before any is read.
    std::size_t max_variants = 64;
    /// Cells x years x draws over a run's variants: a larger run is refused (413) before anything is allocated
    /// for its draws, since the deadline stops a run only between draws.
    double max_cell_draw_years = 2e9;
};

class explorer_api {
public:
    /// Serves `scenario_file` (empty: none; the page then opens one from disk). A posted document
    /// stands for that file: diagnostics name it, and paths in it resolve against its folder (the
    /// current folder when there is none). `plugins` must outlive this.
    explorer_api(std::filesystem::path scenario_file, const plugin_registry& plugins, explorer_limits limits,
                 unsigned threads);

    /// GET /api/scenario: the served scenario file as it is on disk.
    [[nodiscard]] api_reply scenario() const;
    /// GET /api/graph: the served scenario's model (the theory of change) and the order of node
    /// kinds from left to right, for the page to lay out.
    [[nodiscard]] api_reply graph() const;
    /// GET /api/plugins: the effect models installed, with their parameters.
    [[nodiscard]] api_reply plugins() const;
    /// POST /api/validate: `{"valid": bool, "diagnostics": [...]}` (200 either way).
    [[nodiscard]] api_reply validate(std::string_view body) const;
    /// POST /api/run?draws=N&variant=NAME&seed=S&format=json|csv|html&metric=M,...&course=C,...&token=T:
    /// the projection as projection.json (or projection.csv) holds it, only the rows of the metrics
    /// and courses named when `metric` or `course` is given; `html`: the run's whole report. A request with a token is cancelled by
    /// POST /api/cancel?token=T (409), a run over the time limit is cancelled too (503).
    [[nodiscard]] api_reply run(std::string_view body, const query_parameters& query);
    /// POST /api/cancel?token=T: `{"cancelled": true}` when a run with that token was running.
    [[nodiscard]] api_reply cancel(const query_parameters& query);

    [[nodiscard]] const explorer_limits& limits() const { return limits_; }

private:
    [[nodiscard]] std::filesystem::path posted_path() const;
    std::shared_ptr<std::atomic<bool>> register_run(const std::string& token);
    void unregister_run(const std::string& token);

    std::filesystem::path scenario_file_;
    const plugin_registry& plugins_;
    explorer_limits limits_;
    unsigned threads_;
    std::mutex runs_mutex_;
    std::map<std::string, std::shared_ptr<std::atomic<bool>>> running_;  ///< cancel flags by token
};

/// `{"error": message}` with `status`, for answers that are not about the document.
api_reply error_reply(int status, const std::string& message);

}  // namespace pathways
