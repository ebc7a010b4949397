#include "python_run.hpp"

#include <dlfcn.h>

#include <chrono>
#include <exception>
#include <filesystem>
#include <future>
#include <thread>

#include "common/text_safety.hpp"
#include "plugin/search_path.hpp"
#include "scenario/model_reader.hpp"
#include "scenario/parameter_file.hpp"

namespace py = pybind11;

namespace pathways::python {
namespace {

/// The folder the module was loaded from (dladdr of an object inside it), absolute.
std::filesystem::path module_folder() {
    static const int inside_the_module = 0;
    Dl_info info{};
    if (dladdr(&inside_the_module, &info) == 0 || info.dli_fname == nullptr) return {};
    return std::filesystem::absolute(info.dli_fname).parent_path();
}

source_location argument_origin(const std::string& name) { return {python_origin, 0, 0, name}; }

std::optional<setting<std::int64_t>> integer_argument(const std::string& name, std::optional<std::int64_t> value) {
    if (!value) return std::nullopt;
    return setting<std::int64_t>{*value, argument_origin(name)};
}

/// `NAME` or `MODEL:NAME` of set={...}, as --set reads it.
parameter_setting setting_of(const std::string& key, double value) {
    parameter_setting setting;
    const auto colon = key.find(':');
    if (colon != std::string::npos) setting.model = key.substr(0, colon);
    setting.name = colon == std::string::npos ? key : key.substr(colon + 1);
    setting.value = value;
    setting.where = argument_origin("set['" + key + "']");
    return setting;
}

/// A Python literal of `text` ('...' with \\ and ' escaped), for the call a manifest records.
std::string quoted(const std::string& text) {
    std::string out = "'";
    for (const char c : text) {
        if (c == '\\' || c == '\'') out += '\\';
        out += c;
    }
    return out + "'";
}

/// The call that made a request, e.g. `pathways.load('s.json').run(draws=8, set_files=['p.json'])`:
/// what a manifest records as the command line of a run from Python.
std::string call_text(const std::string& scenario_file, const run_arguments& arguments, const std::string& method) {
    std::vector<std::string> given;
    if (arguments.draws) given.push_back("draws=" + std::to_string(*arguments.draws));
    if (arguments.seed) given.push_back("seed=" + std::to_string(*arguments.seed));
    if (arguments.model_file) given.push_back("model=" + quoted(*arguments.model_file));
    if (arguments.effect_model) given.push_back("effect_model=" + quoted(*arguments.effect_model));
    if (arguments.variant != "base") given.push_back("variant=" + quoted(arguments.variant));
    if (arguments.all_variants) given.emplace_back("all_variants=True");
    if (!arguments.settings.empty()) {
        std::string settings;
        for (const auto& [key, value] : arguments.settings)
            settings += (settings.empty() ? "" : ", ") + quoted(key) + ": " + shortest_number(value);
        given.push_back("set={" + settings + "}");
    }
    if (!arguments.set_files.empty()) {
        std::string files;
        for (const std::string& file : arguments.set_files) files += (files.empty() ? "" : ", ") + quoted(file);
        given.push_back("set_files=[" + files + "]");
    }
    if (arguments.min_n) given.push_back("min_n=" + std::to_string(*arguments.min_n));
    if (!arguments.suppression) given.emplace_back("suppression=False");
    std::string call = "pathways.load(" + quoted(scenario_file) + ")." + method + "(";
    for (std::size_t i = 0; i < given.size(); ++i) call += (i == 0 ? "" : ", ") + given[i];
    return call + ")";
}

/// model=FILE: the run reads that theory of change instead of the scenario's, as --model FILE does. A
/// name that is not a model file's (model='linear', the effect model's old spelling here) is an error
/// that names effect_model=, as the CLI's names --effect-model.
void apply_model_file(const std::optional<std::string>& file, run_request& request, diagnostics& found) {
    if (!file) return;
    if (!is_model_file_name(*file)) {
        const source_location where = argument_origin("model");
        found.error(where.file, where.line, where.column, where.pointer,
                    "'" + *file +
                        "' is not a model file; expected a theory of change ending in .json, .lav, .lavaan, .dag or "
                        ".dagitty (the effect model is now effect_model=, e.g. effect_model=" +
                        quoted(*file) + ")");
        return;
    }
    request.inputs.model = *file;
}

}  // namespace

void warn(const diagnostics& found) {
    for (const diagnostic& d : found.items()) {
        if (PyErr_WarnEx(PyExc_RuntimeWarning, format_diagnostic(d).c_str(), 1) != 0) throw py::error_already_set();
    }
}

const plugin_registry& registry() {
    // Never destroyed: loaded scenarios and results point into its libraries until the process ends.
    static const plugin_registry* const loaded = [] {
        load_options options;
        const std::filesystem::path folder = module_folder();
        for (const char* relative : {PATHWAYS_PLUGINS_FROM_BUILD_MODULE, PATHWAYS_PLUGINS_FROM_INSTALLED_MODULE}) {
            const std::filesystem::path candidate = (folder / relative).lexically_normal();
            std::error_code error;
            if (!folder.empty() && std::filesystem::is_directory(candidate, error))
                options.plugin_dirs.push_back(candidate);
        }
        options.use_executable_dir = false;  // the executable is python, not pathways
        diagnostics problems;
        const auto* found = new plugin_registry(plugin_registry::discover(options, problems));
        warn(problems);
        return found;
    }();
    return *loaded;
}

run_request request_of(const std::string& scenario_file, const run_arguments& arguments, const std::string& method) {
    run_request request;
    request.scenario_file = scenario_file;
    request.variant = arguments.variant;
    request.all_variants = arguments.all_variants;
    request.draws = integer_argument("draws", arguments.draws);
    request.seed = integer_argument("seed", arguments.seed);
    request.min_n = integer_argument("min_n", arguments.min_n);
    if (arguments.effect_model)
        request.effect_model = setting<std::string>{*arguments.effect_model, argument_origin("effect_model")};
    diagnostics found;
    apply_model_file(arguments.model_file, request, found);
    // Parameter files first, then `set`, which wins: as --set-file and --set on the command line.
    for (const std::string& path : arguments.set_files) {
        const auto file = read_parameter_file(path, found);
        if (!file) continue;
        for (const parameter_value& value : file->parameters)
            request.parameters.push_back({file->model, value.name, value.value, value.where});
        add_priors_of(*file, request, found, arguments.posterior_use);
    }
    if (found.has_errors()) throw input_error(found);
    for (const auto& [key, value] : arguments.settings) request.parameters.push_back(setting_of(key, value));
    request.threads = arguments.threads != 0 ? arguments.threads : std::max(1u, std::thread::hardware_concurrency());
    request.suppression = arguments.suppression;
    request.sustained_course = true;  // as `pathways run`: the plan sustained and with the district's cut risk
    request.command_line = {"python", call_text(scenario_file, arguments, method)};
    return request;
}

void run_interruptibly(const std::function<void()>& work, std::atomic<bool>& cancel) {
    std::exception_ptr failure;
    std::promise<void> done;
    std::future<void> finished = done.get_future();
    std::thread worker([&] {
        try {
            work();
        } catch (...) {
            failure = std::current_exception();
        }
        done.set_value();
    });
    bool interrupted = false;
    for (;;) {
        std::future_status status{};
        {
            py::gil_scoped_release unlocked;
            status = finished.wait_for(std::chrono::milliseconds(50));
        }
        if (status == std::future_status::ready) break;
        // The signal handler (KeyboardInterrupt for Ctrl-C) runs here, on the thread that holds the GIL.
        if (PyErr_CheckSignals() != 0) {
            interrupted = true;
            cancel = true;
            break;
        }
    }
    {
        py::gil_scoped_release unlocked;
        worker.join();
    }
    if (interrupted) throw py::error_already_set();
    if (failure) std::rethrow_exception(failure);
}

void register_input_error(py::module_& module) {
    // Kept (never released) for the life of the process: the translator may run until the interpreter ends.
    static const py::handle type = py::exception<input_error>(module, "InputError", PyExc_ValueError).release();
    static const py::handle diagnostic_type = py::module_::import("collections")
                                                  .attr("namedtuple")("Diagnostic", "file line column pointer message")
                                                  .release();
    module.attr("Diagnostic") = diagnostic_type;
    py::register_exception_translator([](std::exception_ptr thrown) {
        try {
            if (thrown) std::rethrow_exception(thrown);
        } catch (const input_error& e) {
            diagnostics found = e.found();
            found.sort();
            std::string text;
            py::list items;
            for (const diagnostic& d : found.items()) {
                text += (text.empty() ? "" : "\n") + format_diagnostic(d);
                items.append(diagnostic_type(d.file, d.line, d.column, d.pointer, d.message));
            }
            py::object error = type(text);
            error.attr("diagnostics") = items;
            PyErr_SetObject(type.ptr(), error.ptr());
        }
    });
}

}  // namespace pathways::python
