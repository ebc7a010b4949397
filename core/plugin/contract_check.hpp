#pragma once
/// \file
/// Proving a plugin's models keep the SDK's contract on synthetic inputs (`pathways check-plugin`).
///
/// The checks run the model's code in the calling process, so a model that crashes or hangs takes that
/// process with it: the CLI runs them in a child process of its own.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plugin/model_handle.hpp"

namespace pathways {

/// The models one plugin file declares, read from its metadata without loading it (none of its code runs
/// until a model is evaluated). Unlike the search-path loader it takes any file name and applies no trust
/// rules: the caller named this file on purpose. On failure `problem` says why the file is not a usable
/// plugin (not an ELF shared library, no metadata, wrong ABI or fingerprint, an invalid model) and the
/// result is empty.
std::optional<std::vector<model_handle>> read_plugin_file(const std::filesystem::path& file, std::string& problem);

/// The contract checks, in the order they run; `contract_report::checks` follows it.
enum class contract_check : std::uint8_t {
    outputs_written,    ///< every output cell written, none NaN or infinite
    parameter_ranges,   ///< defaults, each end of each declared range, and random values inside, accepted
    tile_and_block,     ///< the same bits whatever the tile and draw-block sizes
    cells_independent,  ///< permuting a tile's cells permutes its outputs
    at_rest,            ///< nothing moved: the node's initial values, whatever parameters, weights, year
    count,
};

/// A short name of the check, e.g. "tile and block sizes", for verdict lines.
std::string_view check_name(contract_check check);

struct contract_check_result {
    contract_check check = contract_check::outputs_written;
    bool passed = false;
    std::string reason;  ///< what was checked when it passed; the first failure found when not
};

struct contract_report {
    std::vector<contract_check_result> checks;  ///< one per check, in `contract_check` order
    double nanoseconds_per_cell_year = 0.0;     ///< one node, one draw, one cell, one year

    [[nodiscard]] bool passed() const;
};

/// Runs every check on `model` over synthetic cells, parents and draws drawn from `seed`; the parameters
/// are the declared defaults, each end of each declared range and random values inside them, never a value
/// outside. Calls `starting` with each check before it runs (so a caller watching from another process can
/// tell which check a crash interrupted). Loads the model's plugin if it is not loaded; a plugin that cannot
/// be loaded fails every check with the reason.
contract_report check_contract(const model_handle& model, std::uint64_t seed,
                               const std::function<void(contract_check)>& starting = {});

}  // namespace pathways
