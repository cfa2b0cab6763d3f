; Madoguchi 窓口 — the Windows installer (NSIS 3, Unicode). Built by `python -m installer.windows`,
; which stages the payload and passes: VERSION, VERSION4 (a.b.c.d), STAGE (the staged folder),
; OUTFILE, ICON, LICENSE (UTF-16 text), SIZE_KB.
;
; Program files go to "C:\Program Files\Madoguchi" (per machine, administrator rights). The app keeps
; its settings and data in each user's %LOCALAPPDATA%\madoguchi, which neither an upgrade nor the
; uninstaller touches (see docs/install.md for purging it).

; A native x64 installer: the app is x64 only, and a 64-bit installer writes to the 64-bit Program
; Files and registry views without WoW64 redirection.
Target amd64-unicode
ManifestDPIAware true
!ifdef FAST
  SetCompress off  ; the test suite's build: same payload, no LZMA (which takes minutes on one core)
!else
  SetCompressor /SOLID lzma
  SetCompressorDictSize 64
!endif
RequestExecutionLevel admin

!include "MUI2.nsh"
!include "x64.nsh"
!include "WinVer.nsh"
!include "LogicLib.nsh"

!define APP_KEY "Software\Madoguchi"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Madoguchi"
!define MENU_DIR "$SMPROGRAMS\Madoguchi"

Name "Madoguchi 窓口 ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\Madoguchi"
BrandingText "Madoguchi ${VERSION}"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VERSION4}"
VIFileVersion "${VERSION4}"
VIAddVersionKey /LANG=1041 "ProductName" "Madoguchi 窓口"
VIAddVersionKey /LANG=1041 "FileDescription" "Madoguchi 窓口 インストーラー"
VIAddVersionKey /LANG=1041 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1041 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1041 "LegalCopyright" "Madoguchi developers (MIT)"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
; No "run now" box on the finish page: the installer runs elevated, and the app must start as the
; clerk (its data lives in the clerk's own %LOCALAPPDATA%).

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_LICENSE "${LICENSE}"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Japanese"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "Madoguchi には 64 ビット版の Windows が必要です。" /SD IDOK
    Abort
  ${EndIf}
  ${IfNot} ${AtLeastWin10}
    MessageBox MB_ICONSTOP "Madoguchi には Windows 10 以降が必要です。" /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
  ; An upgrade goes where the previous version is, unless /D= says otherwise.
  ReadRegStr $0 HKLM "${APP_KEY}" "InstallDir"
  ${If} $0 != ""
  ${AndIf} $INSTDIR == "$PROGRAMFILES64\Madoguchi"
    StrCpy $INSTDIR $0
  ${EndIf}
FunctionEnd

Function un.onInit
  SetRegView 64
FunctionEnd

Section "Madoguchi" SecMain
  SectionIn RO
  SetShellVarContext all
  ; Upgrade: the previous program files go first, so no stale module of the old version survives.
  ; Only the folders this installer creates are removed; user data is in %LOCALAPPDATA%.
  RMDir /r "$INSTDIR\python"
  RMDir /r "$INSTDIR\fonts"
  RMDir /r "$INSTDIR\licenses"
  SetOutPath "$INSTDIR"
  File /r "${STAGE}\*"
  DetailPrint "Python モジュールを準備しています(初回起動を速くするため)…"
  nsExec::ExecToLog '"$INSTDIR\python\python.exe" -X utf8 -m compileall -q -j 0 "$INSTDIR\python\Lib\site-packages" "$INSTDIR\madoguchi_launcher.py"'
  Pop $0
  ${If} $0 != 0
    DetailPrint "事前コンパイルで警告がありました(動作には影響しません): $0"
  ${EndIf}
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "${MENU_DIR}"
  CreateShortCut "${MENU_DIR}\窓口 (Madoguchi).lnk" "$INSTDIR\python\pythonw.exe" '-X utf8 "$INSTDIR\madoguchi_launcher.py" kiosk' "$INSTDIR\madoguchi.ico" 0
  CreateShortCut "${MENU_DIR}\窓口 全画面 (Madoguchi).lnk" "$INSTDIR\python\pythonw.exe" '-X utf8 "$INSTDIR\madoguchi_launcher.py" kiosk --fullscreen' "$INSTDIR\madoguchi.ico" 0
  CreateShortCut "${MENU_DIR}\Madoguchi コマンド.lnk" "$SYSDIR\cmd.exe" '/k "cd /d "$INSTDIR" && madoguchi --help"' "$INSTDIR\madoguchi.ico" 0
  CreateShortCut "${MENU_DIR}\Madoguchi のアンインストール.lnk" "$INSTDIR\uninstall.exe"

  WriteRegStr HKLM "${APP_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${APP_KEY}" "Version" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "Madoguchi 窓口"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "Madoguchi developers"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\madoguchi.ico"
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "EstimatedSize" ${SIZE_KB}
SectionEnd

Section "Uninstall"
  SetShellVarContext all
  Delete "${MENU_DIR}\*.lnk"
  RMDir "${MENU_DIR}"
  RMDir /r "$INSTDIR\python"
  RMDir /r "$INSTDIR\fonts"
  RMDir /r "$INSTDIR\licenses"
  RMDir /r "$INSTDIR\__pycache__"
  Delete "$INSTDIR\madoguchi_launcher.py"
  Delete "$INSTDIR\madoguchi.cmd"
  Delete "$INSTDIR\madoguchi.ico"
  Delete "$INSTDIR\payload-manifest.json"
  Delete "$INSTDIR\README-ja.txt"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINST_KEY}"
  DeleteRegKey HKLM "${APP_KEY}"
  ; %LOCALAPPDATA%\madoguchi (settings, SQLite, encrypted drafts) stays: see docs/install.md.
SectionEnd
