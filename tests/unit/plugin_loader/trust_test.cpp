#include <cstdlib>
#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "fixture_support.hpp"
#include "plugin/registry.hpp"

using namespace pathways;
using pathways::testing::fixture_file;
using pathways::testing::fixture_folder;
using pathways::testing::only;
using pathways::testing::temp_folder;
namespace fs = std::filesystem;

namespace {

const std::string remedy =
    "; expected a file in a search-path folder that only its owner can write, or allow untrusted plugins "
    "explicitly (--allow-untrusted-plugins)";

}  // namespace

TEST_CASE("a plugin in a world-writable folder is refused unless untrusted plugins are allowed") {
    const temp_folder folder(fs::perms::all);
    REQUIRE((fs::status(folder.path()).permissions() & fs::perms::others_write) != fs::perms::none);
    const fs::path copy = folder.path() / "libpathways_good.so";
    fs::copy_file(fixture_file("good"), copy);

    SECTION("refused") {
        diagnostics problems;
        const plugin_registry registry = plugin_registry::discover(only({folder.path()}), problems);
        REQUIRE(problems.items().size() == 1);
        CHECK(problems.items().front().file == copy.string());
        CHECK(problems.items().front().message == "plugin 'libpathways_good.so': refusing to load: its folder '" +
                                                      folder.path().string() + "' is world-writable" + remedy);
        CHECK(registry.find("fixture_good") == nullptr);
        CHECK(registry.accepted_files().empty());
    }
    SECTION("allowed explicitly, with a warning") {
        load_options options = only({folder.path()});
        options.allow_untrusted = true;
        diagnostics problems;
        const plugin_registry registry = plugin_registry::discover(options, problems);
        CHECK_FALSE(problems.has_errors());
        REQUIRE(problems.items().size() == 1);
        CHECK(problems.items().front().level == severity::warning);
        CHECK(problems.items().front().message == "plugin 'libpathways_good.so': loading although its folder '" +
                                                      folder.path().string() +
                                                      "' is world-writable, because untrusted plugins are allowed");
        CHECK(registry.find("fixture_good") != nullptr);
    }
}

TEST_CASE("a world-writable plugin file is refused even in a safe folder") {
    const temp_folder folder;
    const fs::path copy = folder.path() / "libpathways_good.so";
    fs::copy_file(fixture_file("good"), copy);
    fs::permissions(copy, fs::perms::others_write, fs::perm_options::add);
    diagnostics problems;
    const plugin_registry registry = plugin_registry::discover(only({folder.path()}), problems);
    REQUIRE(problems.items().size() == 1);
    CHECK(problems.items().front().message ==
          "plugin 'libpathways_good.so': refusing to load: the file is world-writable" + remedy);
    CHECK(registry.models().empty());
}

TEST_CASE("a symlink that leads outside the search path is refused unless untrusted plugins are allowed") {
    const temp_folder folder;
    const fs::path link = folder.path() / "libpathways_linked.so";
    fs::create_symlink(fixture_file("good"), link);

    SECTION("refused") {
        diagnostics problems;
        const plugin_registry registry = plugin_registry::discover(only({folder.path()}), problems);
        REQUIRE(problems.items().size() == 1);
        CHECK(problems.items().front().file == link.string());
        CHECK(problems.items().front().message == "plugin 'libpathways_linked.so': refusing to load: it resolves to '" +
                                                      fs::canonical(fixture_file("good")).string() +
                                                      "', outside the plugin search path" + remedy);
        CHECK(registry.models().empty());
    }
    SECTION("allowed explicitly") {
        load_options options = only({folder.path()});
        options.allow_untrusted = true;
        diagnostics problems;
        const plugin_registry registry = plugin_registry::discover(options, problems);
        CHECK_FALSE(problems.has_errors());
        CHECK(registry.find("fixture_good") != nullptr);
    }
    SECTION("accepted when the target's folder is on the search path too, and loaded once") {
        diagnostics problems;
        const plugin_registry registry =
            plugin_registry::discover(only({folder.path(), fixture_folder("good")}), problems);
        CHECK(problems.items().empty());
        REQUIRE(registry.models().size() == 1);
        CHECK(registry.accepted_files() == std::vector<fs::path>{link});
    }
}

TEST_CASE("a dangling plugin symlink is reported and skipped") {
    const temp_folder folder;
    const fs::path link = folder.path() / "libpathways_gone.so";
    fs::create_symlink(folder.path() / "nothing-here.so", link);
    diagnostics problems;
    const plugin_registry registry = plugin_registry::discover(only({folder.path()}), problems);
    REQUIRE(problems.items().size() == 1);
    CHECK(problems.items().front().file == link.string());
    CHECK_THAT(problems.items().front().message,
               Catch::Matchers::StartsWith("plugin 'libpathways_gone.so': cannot resolve the file: "));
}

TEST_CASE("a file that is not a shared library is refused without loading it") {
    const temp_folder folder;
    const fs::path fake = folder.path() / "libpathways_fake.so";
    {
        std::FILE* file = std::fopen(fake.c_str(), "w");
        REQUIRE(file != nullptr);
        std::fputs("not an ELF file\n", file);
        std::fclose(file);
    }
    diagnostics problems;
    const plugin_registry registry = plugin_registry::discover(only({folder.path()}), problems);
    REQUIRE(problems.items().size() == 1);
    CHECK(problems.items().front().message ==
          "plugin 'libpathways_fake.so': not an ELF file; expected a shared library");
}

TEST_CASE("a plugin below a world-writable folder without the sticky bit is refused unless allowed") {
    const temp_folder open_parent(fs::perms::all);
    REQUIRE((fs::status(open_parent.path()).permissions() & fs::perms::sticky_bit) == fs::perms::none);
    const fs::path folder = open_parent.path() / "plugins";
    fs::create_directory(folder);
    fs::permissions(folder, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                fs::perms::others_read | fs::perms::others_exec);
    fs::copy_file(fixture_file("good"), folder / "libpathways_good.so");

    SECTION("refused: anyone could rename the plugin folder away and put another in its place") {
        diagnostics problems;
        const plugin_registry registry = plugin_registry::discover(only({folder}), problems);
        REQUIRE(problems.items().size() == 1);
        CHECK(problems.items().front().message ==
              "plugin 'libpathways_good.so': refusing to load: its ancestor folder '" + open_parent.path().string() +
                  "' is world-writable without the sticky bit, so anyone could replace the plugin folder" + remedy);
        CHECK(registry.models().empty());
    }
    SECTION("a sticky world-writable ancestor, like /tmp, is safe") {
        fs::permissions(open_parent.path(), fs::perms::sticky_bit, fs::perm_options::add);
        diagnostics problems;
        const plugin_registry registry = plugin_registry::discover(only({folder}), problems);
        CHECK(problems.items().empty());
        CHECK(registry.find("fixture_good") != nullptr);
    }
    SECTION("allowed explicitly, with a warning") {
        load_options options = only({folder});
        options.allow_untrusted = true;
        diagnostics problems;
        const plugin_registry registry = plugin_registry::discover(options, problems);
        CHECK_FALSE(problems.has_errors());
        CHECK(registry.find("fixture_good") != nullptr);
    }
}

TEST_CASE("a relative PATHWAYS_PLUGIN_PATH entry is refused unless untrusted plugins are allowed") {
    setenv(plugin_path_variable, "plugins-here", 1);
    load_options options = only({fixture_folder("good")});
    options.use_environment = true;

    SECTION("refused: what it finds would depend on the current folder") {
        diagnostics problems;
        const plugin_registry registry = plugin_registry::discover(options, problems);
        unsetenv(plugin_path_variable);
        CHECK(registry.searched() == std::vector<fs::path>{fixture_folder("good")});
        REQUIRE(problems.items().size() == 1);
        CHECK(problems.items().front().level == severity::error);
        CHECK(problems.items().front().message ==
              "PATHWAYS_PLUGIN_PATH entry 'plugins-here' is relative, so what it finds depends on the current "
              "folder; expected an absolute path, or allow untrusted plugins explicitly (--allow-untrusted-plugins)");
        CHECK(registry.find("fixture_good") != nullptr);
    }
    SECTION("allowed explicitly: searched from the current folder, with a warning") {
        options.allow_untrusted = true;
        diagnostics problems;
        const plugin_registry registry = plugin_registry::discover(options, problems);
        unsetenv(plugin_path_variable);
        CHECK(registry.searched() ==
              std::vector<fs::path>{fixture_folder("good"), (fs::current_path() / "plugins-here").lexically_normal()});
        CHECK_FALSE(problems.has_errors());
        REQUIRE(problems.items().size() == 1);
        CHECK(problems.items().front().level == severity::warning);
    }
}
