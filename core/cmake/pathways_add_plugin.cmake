# pathways_add_plugin(NAME SOURCE...) builds an effect model as the host loads it: a MODULE library
# libpathways_NAME.so (target pathways_plugin_NAME) with hidden symbols, so that only the entry the
# SDK's macro exports is visible, linked to the SDK only.
#
# The one definition, for the plugins in this tree (plugins/CMakeLists.txt) and for plugins built
# against an installed pathways (find_package(pathways) includes this file). In the tree a plugin
# also takes the project's warnings, lands in the build's plugin folder (PATHWAYS_PLUGIN_BUILD_DIR),
# installs with pathways (PATHWAYS_PLUGIN_INSTALL_DIR) and is built by `pathways_all_plugins`.
function(pathways_add_plugin name)
  set(target pathways_plugin_${name})
  add_library(${target} MODULE ${ARGN})
  target_link_libraries(${target} PRIVATE pathways::sdk $<TARGET_NAME_IF_EXISTS:pathways_warnings>)
  set_target_properties(${target} PROPERTIES PREFIX "libpathways_" OUTPUT_NAME ${name}
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  # A model's loops over the cells of a tile vectorise at -O3 (GCC's -O2 leaves most of them scalar);
  # results do not change, since nothing is reordered or fused.
  target_compile_options(${target} PRIVATE $<$<NOT:$<CONFIG:Debug>>:-O3>)
  if(DEFINED PATHWAYS_PLUGIN_BUILD_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${PATHWAYS_PLUGIN_BUILD_DIR}")
  endif()
  if(DEFINED PATHWAYS_PLUGIN_INSTALL_DIR)
    install(TARGETS ${target} LIBRARY DESTINATION "${PATHWAYS_PLUGIN_INSTALL_DIR}")
  endif()
  if(TARGET pathways_all_plugins)
    add_dependencies(pathways_all_plugins ${target})
  endif()
endfunction()
