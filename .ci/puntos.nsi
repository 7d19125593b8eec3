; Windows installer for Puntos, built by .ci/dist with Debian's makensis:
;   makensis -DVERSION=0.1.0 -DBUILD=1 -DOUTFILE=setup.exe -DAPPDIR=dir -DICON=puntos.ico .ci/puntos.nsi
; APPDIR holds puntos.exe and LEEME.txt. It installs for the current user
; only (no administrator rights, which training-office laptops often lack)
; under %LocalAppData%\Programs\Puntos, with Start menu and desktop
; shortcuts and an entry in "Aplicaciones instaladas". Uninstalling leaves
; the data in %AppData%\Puntos in place.

Unicode true
SetCompressor /SOLID lzma
RequestExecutionLevel user

!include "MUI2.nsh"

!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Puntos"

Name "Puntos ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\Puntos"
InstallDirRegKey HKCU "Software\Puntos" "InstallDir"
BrandingText "Puntos ${VERSION} (compilación ${BUILD})"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\puntos.exe"
!define MUI_FINISHPAGE_SHOWREADME "$INSTDIR\LEEME.txt"
!define MUI_FINISHPAGE_SHOWREADME_NOTCHECKED

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SpanishInternational"

VIProductVersion "${VERSION}.${BUILD}"
VIFileVersion "${VERSION}.${BUILD}"
VIAddVersionKey /LANG=${LANG_SPANISHINTERNATIONAL} "ProductName" "Puntos"
VIAddVersionKey /LANG=${LANG_SPANISHINTERNATIONAL} "ProductVersion" "${VERSION}.${BUILD}"
VIAddVersionKey /LANG=${LANG_SPANISHINTERNATIONAL} "FileVersion" "${VERSION}.${BUILD}"
VIAddVersionKey /LANG=${LANG_SPANISHINTERNATIONAL} "FileDescription" "Instalador de Puntos"
VIAddVersionKey /LANG=${LANG_SPANISHINTERNATIONAL} "LegalCopyright" "Puntos"

Section "Puntos"
  SetOutPath "$INSTDIR"
  File "${APPDIR}\puntos.exe"
  File "${APPDIR}\LEEME.txt"
  WriteUninstaller "$INSTDIR\desinstalar.exe"

  CreateShortcut "$SMPROGRAMS\Puntos.lnk" "$INSTDIR\puntos.exe"
  CreateShortcut "$DESKTOP\Puntos.lnk" "$INSTDIR\puntos.exe"

  WriteRegStr HKCU "Software\Puntos" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "Puntos"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\puntos.exe"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\desinstalar.exe"'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  ; The data (%AppData%\Puntos) stays: it is the instructor's work.
  Delete "$INSTDIR\puntos.exe"
  Delete "$INSTDIR\LEEME.txt"
  Delete "$INSTDIR\desinstalar.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\Puntos.lnk"
  Delete "$DESKTOP\Puntos.lnk"
  DeleteRegKey HKCU "${UNINSTKEY}"
  DeleteRegKey HKCU "Software\Puntos"
SectionEnd
