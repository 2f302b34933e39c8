# The CTest fixture "postgresql": a private PostgreSQL cluster in /tmp/federa-test-postgresql-<hash>
# (under /tmp because, as root, the server runs as user postgres, which cannot reach a checkout
# under /root), started
# before the first test that requires it and stopped after the last (tests/pg/start.sh, stop.sh).
#   federa_requires_postgresql(<test>...)  makes tests wait for it and gives them
#   FEDERA_TEST_PG_URI. Each build tree gets its own port (55400-55499, from a hash of the build
# directory) so several build trees can run their PostgreSQL tests at once; override it with
# -DFEDERA_TEST_PG_PORT=<port>.
string(MD5 federa_build_hash "${CMAKE_BINARY_DIR}")
string(SUBSTRING "${federa_build_hash}" 0 4 federa_build_hash)
math(EXPR federa_default_pg_port "55400 + 0x${federa_build_hash} % 100")
set(FEDERA_TEST_PG_PORT ${federa_default_pg_port} CACHE STRING "Port of the test PostgreSQL")
set(FEDERA_TEST_PG_DIR /tmp/federa-test-postgresql-${federa_build_hash})
set(FEDERA_TEST_PG_URI "postgresql://postgres@127.0.0.1:${FEDERA_TEST_PG_PORT}/federa" CACHE INTERNAL "URI of the test PostgreSQL")

add_test(NAME postgresql_start
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/start.sh ${FEDERA_TEST_PG_DIR} ${FEDERA_TEST_PG_PORT})
add_test(NAME postgresql_stop COMMAND ${CMAKE_CURRENT_LIST_DIR}/stop.sh ${FEDERA_TEST_PG_DIR})
set_tests_properties(postgresql_start PROPERTIES FIXTURES_SETUP postgresql TIMEOUT 120)
set_tests_properties(postgresql_stop PROPERTIES FIXTURES_CLEANUP postgresql TIMEOUT 120)

function(federa_requires_postgresql)
  foreach(test IN LISTS ARGN)
    set_property(TEST ${test} PROPERTY FIXTURES_REQUIRED postgresql)
    set_property(TEST ${test} APPEND PROPERTY ENVIRONMENT "FEDERA_TEST_PG_URI=${FEDERA_TEST_PG_URI}")
  endforeach()
endfunction()
