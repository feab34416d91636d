#!/bin/bash
# Regenerate the first-page pictures of docs/documents.md (docs/images/*.png) from the example
# township: rank writes the tier list and the documents, LibreOffice renders them to PDF,
# pdftoppm takes the first page (the 等级名单 sheet is the first page of the workbook).
# The 公文 fonts (仿宋_GB2312, 方正小标宋简体, 宋体, 黑体) are rendered with Noto CJK through a
# private fontconfig file; on Windows/WPS the documents use the real fonts.
# Usage: bash scripts/doc_images.sh   (from the repository root; needs soffice and pdftoppm)
set -euo pipefail
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/公示.yaml" <<'YAML'
title: 关于城关镇2026年度基层党组织争先创优评定结果的公示
list_title: 城关镇2026年度基层党组织争先创优评定等级名单
issuer: 中共城关镇委员会
date: 2026-12-21
contact: 镇党委组织办，电话 0000-1234567
YAML
cat > "$work/fonts.conf" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <alias binding="same"><family>仿宋_GB2312</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>方正小标宋简体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>宋体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>黑体</family><prefer><family>Noto Sans CJK SC</family></prefer></alias>
</fontconfig>
XML
.venv/bin/chuangyou rank examples/城关镇 -o "$work/等级名单.xlsx" --doc-config "$work/公示.yaml" \
  --notice "$work/公示.docx" --feedback "$work/反馈表" --rectify "$work/整改通知书.docx" >/dev/null || true
cp "$work/反馈表/城关镇/北关村党支部.docx" "$work/反馈表-北关村党支部.docx"
for name in 等级名单.xlsx 公示.docx 反馈表-北关村党支部.docx 整改通知书.docx; do
  FONTCONFIG_FILE="$work/fonts.conf" soffice "-env:UserInstallation=file://$work/lo" --headless \
    --convert-to pdf --outdir "$work/pdf" "$work/$name" >/dev/null 2>&1
done
mkdir -p docs/images
render() {  # PDF, first page, picture
  pdftoppm -png -r 60 -f "$2" -l "$2" -singlefile "$work/pdf/$1.pdf" "$root/docs/images/$3"
}
render 等级名单 1 documents-tierlist
render 等级名单 2 documents-results
render 公示 1 documents-notice
render 反馈表-北关村党支部 1 documents-feedback
render 整改通知书 1 documents-rectify
ls -l docs/images/documents-*.png
