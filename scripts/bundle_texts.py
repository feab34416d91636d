"""The texts of the offline bundle: install.sh, install.bat and 使用说明.txt.

Each is a ``str.format`` template ({version}, {pythons}); literal braces are doubled.
install.bat is written in GBK (cmd reads a batch file in the console's code page, 936 on
Chinese Windows) with CRLF line ends; inside its parenthesised blocks only full-width
brackets appear in text, since an ASCII ")" would end the block.
"""

INSTALL_SH = """\
#!/bin/sh
# 创优（chuangyou）{version} 离线安装：在本文件夹中建立虚拟环境 .venv 并安装，不连网。
# 用法：sh install.sh      指定 Python：PYTHON=/usr/bin/python3.11 sh install.sh
set -e
cd "$(dirname "$0")"
PY=""
for candidate in "${{PYTHON:-}}" python3.13 python3.12 python3.11 python3.10 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
        "$candidate" -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null; then
        PY=$candidate
        break
    fi
done
if [ -z "$PY" ]; then
    echo "错误：找不到 Python 3.10 至 3.13。请先安装其中一个版本（麒麟、统信 UOS 自带 python3 时请检查其版本：python3 --version）。" >&2
    exit 1
fi
echo "使用 $("$PY" --version 2>&1)（$(command -v "$PY")）"
if ! "$PY" -m venv --clear .venv; then
    echo "错误：无法建立虚拟环境。Debian、统信 UOS、麒麟上请先安装 python3-venv 软件包（sudo apt install python3-venv）。" >&2
    exit 1
fi
# Only the wheels folder: no package index, and none of this machine's pip settings.
unset PIP_FIND_LINKS PIP_CONSTRAINT PIP_REQUIREMENT PIP_INDEX_URL PIP_EXTRA_INDEX_URL
PIP_CONFIG_FILE=/dev/null .venv/bin/python -m pip install --no-index --find-links wheels --disable-pip-version-check chuangyou
.venv/bin/chuangyou --version
echo
echo "安装完成。试运行（给示例乡镇评分并写出等级名单）："
echo "  .venv/bin/chuangyou rank examples/城关镇 -o 等级名单.xlsx"
"""

INSTALL_BAT = """\
@echo off
rem 创优（chuangyou）{version} 离线安装：在本文件夹中建立虚拟环境 .venv 并安装，不连网。
setlocal
cd /d "%~dp0"
set "PY="
for %%V in (3.13 3.12 3.11 3.10) do (
    if not defined PY (
        py -%%V -c "pass" >nul 2>nul && set "PY=py -%%V"
    )
)
if not defined PY (
    python -c "import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 13))" >nul 2>nul && set "PY=python"
)
if not defined PY (
    echo 错误：找不到 Python 3.10 至 3.13。请先安装其中一个版本，安装时勾选“Add python.exe to PATH”。
    goto fail
)
echo 使用 %PY%
%PY% -m venv --clear .venv
if errorlevel 1 goto fail
set "PIP_CONFIG_FILE=nul"
set "PIP_FIND_LINKS="
set "PIP_CONSTRAINT="
set "PIP_REQUIREMENT="
".venv\\Scripts\\python.exe" -m pip install --no-index --find-links wheels --disable-pip-version-check chuangyou
if errorlevel 1 goto fail
".venv\\Scripts\\chuangyou.exe" --version
echo.
echo 安装完成。试运行（给示例乡镇评分并写出等级名单）：
echo   .venv\\Scripts\\chuangyou.exe rank examples\\城关镇 -o 等级名单.xlsx
pause
exit /b 0
:fail
echo.
echo 安装未完成，请把本窗口的内容截图发给技术支持人员。
pause
exit /b 1
"""

README_TXT = """\
创优（chuangyou）{version} 离线安装包 使用说明
=============================================

本安装包不需要连接互联网：本工具和它用到的全部软件包都在 wheels 文件夹里。
适用于 Windows 10/11（64 位）和 Linux（x86_64 与 ARM64，如麒麟、统信 UOS），
需要电脑上已装有 Python {pythons} 中的任一版本。

一、安装
1. 把整个 zip 文件解压到一个文件夹，例如 D:\\创优 或 /home/用户名/创优。
   请先解压再安装，不要在压缩包里直接双击。
2. Windows：双击 install.bat。
   Linux：在该文件夹中打开终端，运行 sh install.sh
3. 看到“安装完成”即可。安装会在同一文件夹里建立 .venv 子文件夹，
   本工具就装在那里，不影响电脑上的其他软件。

   如果提示找不到 Python：Windows 请先安装 Python（安装时勾选“Add python.exe to PATH”），
   Linux 请检查 python3 --version。如果 Linux 提示无法建立虚拟环境，
   请先安装 python3-venv 软件包。

二、第一次运行
在解压后的文件夹中打开命令行（Windows：在文件夹地址栏输入 cmd 回车；Linux：打开终端），
运行下面一条命令，给示例乡镇的 30 个党组织评分、排名，并写出等级名单：

  Windows：  .venv\\Scripts\\chuangyou.exe rank examples\\城关镇 -o 等级名单.xlsx
  Linux：    .venv/bin/chuangyou rank examples/城关镇 -o 等级名单.xlsx

示例中特意放了一份填错的工作簿，屏幕上会列出它的错误（退出码为 1），
其余组织照常评定。用 Excel 或 WPS 打开生成的“等级名单.xlsx”查看结果。

其他常用命令（Windows 上把 .venv/bin/chuangyou 换成 .venv\\Scripts\\chuangyou.exe）：
  .venv/bin/chuangyou --help                      查看全部命令
  .venv/bin/chuangyou template --rubric village --subtype 村 --name 东关村党支部 --township 城关镇 -o 东关村.xlsx
  .venv/bin/chuangyou score examples/示例-东关村党支部.xlsx --explain
  .venv/bin/chuangyou doctor                      显示版本和运行环境，联系技术支持时请附上

三、示例在哪里
examples 文件夹：
  examples/城关镇/                 一个示例乡镇的 30 份证明材料工作簿（按组织类别分文件夹）
  examples/示例-*.xlsx             五种组织各一份填好的证明材料工作簿
  examples/城关镇-2025年结果.json   上一年度的结果，用来演示 --previous（升级、降级）

四、卸载
删除整个文件夹即可。
"""
