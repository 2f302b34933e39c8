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
