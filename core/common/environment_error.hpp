#pragma once
/// \file
/// A failure of the machine rather than of the input: a full disk, a read-only folder, an output
/// path that names something other than a folder. The CLI gives it its own exit code (3) and
/// prints the message, which names the path and the operating system's reason.

#include <stdexcept>
#include <string>

namespace pathways {

class environment_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace pathways
