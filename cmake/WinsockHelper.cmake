# socklens-helper.exe, the Winsock helper: this project configured a second time with the
# mingw-w64 toolchain (cmake/mingw-w64-x86_64.cmake), building only the helper from the same
# core sources. The .exe lands next to socklens-cli, where the broker looks for it.
find_program(SOCKLENS_MINGW_CXX NAMES x86_64-w64-mingw32-g++-posix)
if(NOT SOCKLENS_MINGW_CXX)
    message(WARNING "socklens-helper.exe (the Winsock helper) is not built: no mingw-w64 C++ "
                   "compiler with the posix thread model was found (apt-get install mingw-w64 "
                   "g++-mingw-w64-x86-64-posix)")
    return()
endif()

include(ExternalProject)
set(SOCKLENS_WINSOCK_HELPER ${CMAKE_BINARY_DIR}/app/socklens-helper.exe)
ExternalProject_Add(socklens-helper-exe
    SOURCE_DIR ${PROJECT_SOURCE_DIR}
    PREFIX ${CMAKE_BINARY_DIR}/winsock-helper
    BINARY_DIR ${CMAKE_BINARY_DIR}/winsock-helper/build
    CMAKE_GENERATOR ${CMAKE_GENERATOR}
    CMAKE_ARGS
        -DCMAKE_TOOLCHAIN_FILE=${PROJECT_SOURCE_DIR}/cmake/mingw-w64-x86_64.cmake
        -DCMAKE_BUILD_TYPE=Release
        -DSOCKLENS_BUILD_TESTS=OFF
        -DSOCKLENS_BUILD_GUI=OFF
        -DSOCKLENS_BUILD_BENCHMARKS=OFF
    BUILD_COMMAND ${CMAKE_COMMAND} --build <BINARY_DIR> --target socklens-helper
    INSTALL_COMMAND ${CMAKE_COMMAND} -E copy_if_different
                    <BINARY_DIR>/app/socklens-helper.exe ${SOCKLENS_WINSOCK_HELPER}
    # The inner build knows its own dependencies; always asking it keeps the .exe current.
    BUILD_ALWAYS ON
    BUILD_BYPRODUCTS ${SOCKLENS_WINSOCK_HELPER}
    USES_TERMINAL_BUILD ON)
