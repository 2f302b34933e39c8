# federa_library(<name> SOURCES ... LIBS ...): a static library federa_<name> for one top-level
# folder. Headers are included as "<folder>/<file>.h" from the repository root.
function(federa_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_library(federa_${name} STATIC ${ARG_SOURCES})
  target_include_directories(federa_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(federa_${name} PUBLIC ${ARG_LIBS})
endfunction()

# federa_unit_test(<name> SOURCES ... LIBS ...): a doctest executable <name> run by CTest.
# Unit tests live beside the code they test (foo.cpp, foo_test.cpp).
function(federa_unit_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE federa_doctest_main ${ARG_LIBS})
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES
    ENVIRONMENT "FEDERA_SOURCE_DIR=${PROJECT_SOURCE_DIR};FEDERA_SHARED_DIR=${PROJECT_SOURCE_DIR}/../shared"
    TIMEOUT ${ARG_TIMEOUT})
endfunction()

# federa_fuzz_target(<name> SOURCES ... LIBS ... [CORPUS <dir>]): a libFuzzer target, built only
# with FEDERA_FUZZ (the asan preset, clang). CTest runs it for FEDERA_FUZZ_SECONDS over the seed
# corpus directory (checked in beside the target), so every parser is fuzzed on every CI run.
set(FEDERA_FUZZ_SECONDS 20 CACHE STRING "Seconds each fuzz target runs under CTest")
function(federa_fuzz_target name)
  cmake_parse_arguments(ARG "" "CORPUS" "SOURCES;LIBS" ${ARGN})
  if(NOT FEDERA_FUZZ)
    return()
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_libraries(${name} PRIVATE ${ARG_LIBS})
  set(work ${CMAKE_CURRENT_BINARY_DIR}/${name}-corpus)
  file(MAKE_DIRECTORY ${work})
  add_test(NAME ${name}
    COMMAND ${name} -max_total_time=${FEDERA_FUZZ_SECONDS} -rss_limit_mb=2048 -timeout=10
            -print_final_stats=1 ${work} ${ARG_CORPUS})
  set_tests_properties(${name} PROPERTIES TIMEOUT 300 LABELS fuzz)
endfunction()

# federa_benchmark(<name> SOURCES ... LIBS ...): a benchmark program in build/*/bench/ (not run by
# CTest; run by hand, as root where it starts VMs or namespaces; the README gives each one's figures).
function(federa_benchmark name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bench)
endfunction()
