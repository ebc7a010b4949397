#pragma once
/// \file
/// Runs kept in SQLite so that thousands of them can be queried (`pathways sweep --db`). Schema:
///
///     runs(run_id INTEGER PRIMARY KEY, scenario, variant, model, grid_json, seed, draws, manifest_json)
///     rows(run_id, year, subgroup, outcome, metric, course, reference, mean, sd, p05, p50, p95,
///          prob_positive, n_students, suppressed)      -- index rows_by_outcome on (outcome, subgroup, metric)
///     draws(run_id, year, subgroup, outcome, metric, course, reference, draw, value)   -- `sweep --per-draw` only
///
/// `course` is as in projection.csv: `with_cut_risk`, `sustained`, or empty for business as usual. A
/// sweep stores the course its table reads, with the cut risk, and not the sustained one.
/// `year` is the calendar year; suppressed rows keep their labels with NULL values, as in the JSON
/// output, and have no draws. A seed above 2^63 − 1 is stored as its decimal text. The database is built in a temp
/// file beside its final path and only renamed into place by `commit()`, so a failed or
/// interrupted sweep leaves no database.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "report/projection_writer.hpp"

namespace pathways {

class output_lock;

/// What the `runs` table says about one run.
struct stored_run {
    std::string scenario;
    std::string variant;
    std::string model;
    std::string grid_json;  ///< the grid point, e.g. {"/implementation/waves/1/schools/count": 30}
    std::uint64_t seed = 0;
    std::int64_t draws = 0;
    std::string manifest_json;
};

class sqlite_store {
public:
    /// Creates the database in a temp file beside `path`. Throws std::runtime_error when `path`
    /// exists and `force` is false, or when SQLite fails (with sqlite3_errmsg's message).
    sqlite_store(std::filesystem::path path, bool force);
    /// Removes the temp file unless `commit()` succeeded.
    ~sqlite_store();
    sqlite_store(const sqlite_store&) = delete;
    sqlite_store& operator=(const sqlite_store&) = delete;

    /// Stores one run and every row of `result` in one transaction; returns its run_id (1, 2, ...).
    /// Throws std::runtime_error on failure, after rolling the transaction back.
    std::int64_t add_run(const stored_run& run, const projection_result& result, const table_context& context);

    /// Stores every draw's value of every unsuppressed row of `draws` (a run's per-draw values, the
    /// rows of its result) for run `run_id`, in one transaction; an undefined value is NULL. Throws
    /// std::runtime_error on failure, after rolling the transaction back.
    void add_draws(std::int64_t run_id, const projection_draws& draws, const table_context& context);

    /// Closes the database, syncs it to disk and renames it into place. Throws std::runtime_error
    /// on failure (the temp file is then removed by the destructor).
    void commit();

    [[nodiscard]] const std::filesystem::path& path() const { return path_; }

private:
    struct connection;
    std::filesystem::path path_;
    std::filesystem::path temp_;
    bool force_ = false;
    std::unique_ptr<output_lock> lock_;  ///< one writer per database file
    std::unique_ptr<connection> db_;
};

}  // namespace pathways
