#include "python_tables.hpp"

#include <pybind11/numpy.h>

namespace py = pybind11;

namespace pathways::python {

void table_builder::text(const std::string& name, const std::vector<std::string>& values) {
    // Object arrays of str: what pandas makes of text columns, and what a CSV reader gives.
    py::array column(py::dtype("O"), std::vector<py::ssize_t>{static_cast<py::ssize_t>(values.size())});
    auto* cells = static_cast<PyObject**>(column.mutable_data());
    for (std::size_t i = 0; i < values.size(); ++i) {
        Py_XDECREF(cells[i]);
        cells[i] = py::str(values[i]).release().ptr();
    }
    columns_.emplace_back(name, std::move(column));
}

void table_builder::numbers(const std::string& name, const std::vector<double>& values) {
    columns_.emplace_back(name, py::array_t<double>(static_cast<py::ssize_t>(values.size()), values.data()));
}

void table_builder::integers(const std::string& name, const std::vector<long long>& values) {
    py::array_t<std::int64_t> column(static_cast<py::ssize_t>(values.size()));
    for (std::size_t i = 0; i < values.size(); ++i) column.mutable_at(static_cast<py::ssize_t>(i)) = values[i];
    columns_.emplace_back(name, std::move(column));
}

void table_builder::flags(const std::string& name, const std::vector<bool>& values) {
    py::array_t<bool> column(static_cast<py::ssize_t>(values.size()));
    for (std::size_t i = 0; i < values.size(); ++i) column.mutable_at(static_cast<py::ssize_t>(i)) = values[i];
    columns_.emplace_back(name, std::move(column));
}

py::object table_builder::build() const {
    py::dict columns;  // keeps insertion order, and pandas keeps it too
    for (const auto& [name, values] : columns_) columns[py::str(name)] = values;
    if (!have_pandas()) return columns;
    return py::module_::import("pandas").attr("DataFrame")(columns);
}

bool have_pandas() {
    try {
        py::module_::import("pandas");
        return true;
    } catch (const py::error_already_set&) {
        return false;
    }
}

}  // namespace pathways::python
