#pragma once
// Tables handed to Python: a pandas DataFrame when pandas can be imported, else a dict of NumPy
// arrays (column name -> array), with the columns in the order they were added.

#include <pybind11/pybind11.h>

#include <string>
#include <utility>
#include <vector>

namespace pathways::python {

class table_builder {
public:
    void text(const std::string& name, const std::vector<std::string>& values);
    void numbers(const std::string& name, const std::vector<double>& values);
    void integers(const std::string& name, const std::vector<long long>& values);
    void flags(const std::string& name, const std::vector<bool>& values);
    /// The DataFrame or dict of arrays.
    [[nodiscard]] pybind11::object build() const;

private:
    std::vector<std::pair<std::string, pybind11::object>> columns_;
};

/// Whether pandas is importable (tables are DataFrames then).
bool have_pandas();

}  // namespace pathways::python
