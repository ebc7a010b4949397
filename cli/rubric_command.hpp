#pragma once
// rubric: the stage descriptors a school rates its practices and drivers against, from the model file.

#include <string>

namespace pathways::cli {

struct rubric_options {
    std::string node;             ///< a practice or driver (id or label), a primary driver's id; empty: all
    std::string model_file;       ///< empty: the embedded DPS model
    std::string format = "text";  ///< text or json
};
int rubric_command(const rubric_options& options);

}  // namespace pathways::cli
