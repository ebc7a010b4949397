#pragma once
/// \file
/// The error a plugin causes at run time.

#include <stdexcept>

namespace pathways {

/// A plugin failed while the host was using it, or a requested model is not available. The message
/// names plugin, file, node and operation where they apply, e.g.
/// "plugin 'evidence' (libpathways_evidence.so): node 'x': evaluate in year 3 returned NaN for cell 12".
class plugin_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace pathways
