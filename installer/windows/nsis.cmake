# The Windows installer (CPack NSIS), for a build on Windows with Qt for Windows and
# windeployqt. UNTESTED: it cannot be built on the Linux machines this project is developed
# and tested on (docs/packaging.md says so). Ignored unless CPack runs on Windows.
if(WIN32)
    set(CPACK_GENERATOR NSIS)
    set(CPACK_NSIS_PACKAGE_NAME "socklens ${PROJECT_VERSION}")
    set(CPACK_NSIS_DISPLAY_NAME "socklens")
    set(CPACK_NSIS_URL_INFO_ABOUT ${SOCKLENS_HOMEPAGE})
    set(CPACK_NSIS_INSTALLED_ICON_NAME bin/socklens.exe)
    set(CPACK_NSIS_MENU_LINKS bin/socklens.exe "socklens")
    set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
    set(CPACK_NSIS_MODIFY_PATH OFF)
endif()
