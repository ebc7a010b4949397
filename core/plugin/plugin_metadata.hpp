#pragma once
/// \file
/// Decoding the metadata record a plugin carries in its `.pathways_meta` section (layout in the SDK header).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "pathways/sdk/effect_model.hpp"
#include "plugin/model_handle.hpp"

namespace pathways {

/// One model as the metadata declares it.
struct declared_model {
    model_handle model;         ///< everything but `evaluate` and `library`
    bool has_evaluate = false;  ///< the plugin's `effect_model_info::evaluate` was not null
};

struct plugin_metadata {
    std::uint32_t abi_version = 0;
    std::string fingerprint;
    std::vector<declared_model> models;
};

/// Decodes a metadata record. Checks, in this order, magic, record version, ABI version (before anything
/// whose layout depends on it), record size, build fingerprint, then the body, every length against the
/// bytes left. On failure `problem` names what is wrong, e.g. "ABI version mismatch: got 1, supported 3;
/// rebuild the plugin against this pathways SDK", and the result is empty. `file` fills each model's
/// `file`. Never throws but std::bad_alloc.
std::optional<plugin_metadata> decode_plugin_metadata(std::span<const std::uint8_t> record, const std::string& file,
                                                      std::string& problem);

/// The SDK view of a declared model, for `model_problems`; points into `declared`, and into `specs`,
/// which it fills.
sdk::effect_model_info declared_view(const declared_model& declared, std::vector<sdk::parameter_spec>& specs);

}  // namespace pathways
