# Run at build time (cmake -P): writes OUT, a source file defining
# qcm::kGitCommit, the commit the sources are at when the binary is built
# (a dirty tree gets "-dirty"). The file is rewritten only when the stamp
# changes, so an unchanged tree recompiles nothing. --no-optional-locks: a
# build running beside a commit must not take git's index lock.
execute_process(COMMAND git rev-parse --short=12 HEAD
                WORKING_DIRECTORY "${SOURCE_DIR}"
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE
                RESULT_VARIABLE failed ERROR_QUIET)
if(failed OR NOT commit)
  set(commit "unknown")
else()
  execute_process(COMMAND git --no-optional-locks status --porcelain --untracked-files=no
                  WORKING_DIRECTORY "${SOURCE_DIR}"
                  OUTPUT_VARIABLE changes OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(changes)
    string(APPEND commit "-dirty")
  endif()
endif()
set(text "// @file Generated at build time by cmake/git_commit.cmake.\n#include \"qcm/version.hpp\"\nnamespace qcm {\nconst char* const kGitCommit = \"${commit}\";\n}  // namespace qcm\n")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUT}" "${text}")
endif()
