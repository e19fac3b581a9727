# Included at the end of the top-level CMakeLists.txt (CPack must be included from the top scope).
# Installation and Debian packages (issue 13). Three packages, one CPack component each:
#   accueil-common   the programs accueil and accueil-sync, the system user accueil, the docs;
#   accueil-central  the central store's unit (accueil-central.service); the server takes its backups;
#   accueil-kiosk    accueil-kiosk, the agent's unit and the kiosk session under cage on tty1.
# `cmake --build build --target package` writes build/accueil-{common,central,kiosk}_<version>_<arch>.deb;
# deploy/check-packages.sh checks them (lintian, contents, a real install and purge).
# Units, udev rules and /etc/default go where Debian 12 keeps them (/lib, /etc), whatever the prefix.

set(_deploy ${CMAKE_CURRENT_LIST_DIR})
set(_packages_out ${CMAKE_BINARY_DIR}/deploy)
# A Debian revision: the packages are not "native", so their changelog is changelog.Debian.gz.
set(_revision 1)
set(_version ${PROJECT_VERSION}-${_revision})

# --- What each package holds ------------------------------------------------------------------------
install(TARGETS accueil accueil-sync RUNTIME DESTINATION bin COMPONENT common)
install(TARGETS accueil-kiosk RUNTIME DESTINATION bin COMPONENT kiosk)
# The walk-through's example roster (README, "Préparer un événement").
install(DIRECTORY ${CMAKE_SOURCE_DIR}/assets/examples/ DESTINATION share/accueil/examples COMPONENT common)
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION share/doc/accueil-common COMPONENT common)
# Man pages, compressed as Debian wants them (-n: no name or time stamp, so builds give the same bytes).
foreach(_page accueil:common accueil-sync:common accueil-kiosk:kiosk)
  string(REPLACE ":" ";" _page ${_page})
  list(GET _page 0 _name)
  list(GET _page 1 _component)
  configure_file(${_deploy}/man/${_name}.1 ${_packages_out}/man/${_name}.1 COPYONLY)
  execute_process(COMMAND gzip -9 -n -f ${_packages_out}/man/${_name}.1 COMMAND_ERROR_IS_FATAL ANY)
  install(FILES ${_packages_out}/man/${_name}.1.gz DESTINATION share/man/man1 COMPONENT ${_component})
endforeach()

install(FILES ${_deploy}/systemd/accueil-central.service DESTINATION /lib/systemd/system COMPONENT central)
install(FILES ${_deploy}/systemd/accueil-agent.service ${_deploy}/systemd/accueil-kiosk.service
        DESTINATION /lib/systemd/system COMPONENT kiosk)
install(FILES ${_deploy}/default/accueil-kiosk DESTINATION /etc/default COMPONENT kiosk)
# The kiosk's udev rules (deploy/udev/, e.g. the backlight's permissions for the group video).
file(GLOB _udev_rules CONFIGURE_DEPENDS ${_deploy}/udev/*.rules)
if(_udev_rules)
  install(FILES ${_udev_rules} DESTINATION /lib/udev/rules.d COMPONENT kiosk)
endif()

# Every package carries /usr/share/doc/<package>/copyright and changelog.Debian.gz (Debian policy 12.5
# and 12.7), man pages compressed, and its lintian overrides, each justified in the file itself.
string(TIMESTAMP _changelog_date "%a, %d %b %Y %H:%M:%S +0000" UTC) # honours SOURCE_DATE_EPOCH
set(ACCUEIL_PACKAGE_MAINTAINER "accueil maintainers <maintainers@users.noreply.h-seed-e89a2061.example>"
    CACHE STRING "Maintainer field of the Debian packages")
foreach(_component common central kiosk)
  set(_package accueil-${_component})
  set(_out ${_packages_out}/${_package})
  set(PACKAGE ${_package})
  set(MAINTAINER ${ACCUEIL_PACKAGE_MAINTAINER})
  set(DATE ${_changelog_date})
  set(VERSION ${_version})
  configure_file(${_deploy}/debian/changelog.in ${_out}/changelog.Debian @ONLY)
  # -n as for the man pages.
  execute_process(COMMAND gzip -9 -n -f ${_out}/changelog.Debian COMMAND_ERROR_IS_FATAL ANY)
  install(FILES ${_out}/changelog.Debian.gz ${_deploy}/debian/copyright
          DESTINATION share/doc/${_package} COMPONENT ${_component})
  if(EXISTS ${_deploy}/debian/${_package}/lintian-overrides)
    install(FILES ${_deploy}/debian/${_package}/lintian-overrides DESTINATION share/lintian/overrides
            RENAME ${_package} COMPONENT ${_component})
  endif()
endforeach()

# --- CPack: component DEB packages ------------------------------------------------------------------
if(CMAKE_INSTALL_PREFIX_INITIALIZED_TO_DEFAULT)
  # The units name /usr/bin/...: `cmake --install` puts the programs there too.
  set(CMAKE_INSTALL_PREFIX /usr CACHE PATH "Install prefix" FORCE)
endif()
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME accueil)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR})
set(CPACK_OUTPUT_FILE_PREFIX ${CMAKE_BINARY_DIR})
set(CPACK_PACKAGE_CONTACT ${ACCUEIL_PACKAGE_MAINTAINER})
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
    GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL common central kiosk)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${ACCUEIL_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

set(CPACK_DEBIAN_PACKAGE_RELEASE ${_revision})
set(CPACK_DEBIAN_COMMON_PACKAGE_NAME accueil-common)
set(CPACK_DEBIAN_CENTRAL_PACKAGE_NAME accueil-central)
set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME accueil-kiosk)
# Not libraries, so not found by shlibdeps: adduser for the maintainer scripts; the time zone data
# the event's days are computed in; the kiosk's session (cage, Xwayland for Debian's X11 GLFW, a logind
# session through PAM) and its badge sheet font. (deb-systemd-helper is in init-system-helpers, which
# is essential.) libcups2 and libespeak-ng1 too: the kiosk opens them with dlopen when it first prints
# or speaks (kiosk/logic/lazy_library.hpp), which shlibdeps cannot see.
set(CPACK_DEBIAN_COMMON_PACKAGE_DEPENDS "adduser, tzdata")
set(CPACK_DEBIAN_CENTRAL_PACKAGE_DEPENDS "accueil-common (= ${_version})")
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS
    "accueil-common (= ${_version}), adduser, cage, xwayland, libpam-systemd, fonts-dejavu-core, libcups2, libespeak-ng1")
set(CPACK_DEBIAN_KIOSK_PACKAGE_RECOMMENDS "espeak-ng-data")

# Synopsis on the first line, then the extended description (lines under 80 characters for dpkg).
set(CPACK_COMPONENT_COMMON_DESCRIPTION "offline-first conference check-in: programs
The organiser command line (accueil: event, roster import, badges,
check-in, figures, report) and accueil-sync (the central server, the
kiosks' sync agent, enrolment, USB bundles, backups), with the system
user accueil and its state directory /var/lib/accueil.")
set(CPACK_COMPONENT_CENTRAL_DESCRIPTION "offline-first conference check-in: central store service
The systemd unit that runs the central store's server (accueil-sync
serve) on /var/lib/accueil/central.db, with the organisers' live page
and a backup every five minutes into /var/lib/accueil/backups.")
set(CPACK_COMPONENT_KIOSK_DESCRIPTION "offline-first conference check-in: kiosk
The touchscreen kiosk and welcome desk (accueil-kiosk), run full screen
under cage on tty1 by a systemd unit that brings it back after a crash,
and its sync agent (accueil-sync agent). The device's settings are in
/etc/default/accueil-kiosk.")

foreach(_component common central kiosk)
  string(TOUPPER ${_component} _upper)
  set(_scripts)
  foreach(_script postinst prerm postrm conffiles)
    if(EXISTS ${_deploy}/debian/accueil-${_component}/${_script})
      list(APPEND _scripts ${_deploy}/debian/accueil-${_component}/${_script})
    endif()
  endforeach()
  set(CPACK_DEBIAN_${_upper}_PACKAGE_CONTROL_EXTRA ${_scripts})
endforeach()

include(CPack)
