#!/bin/sh
# Fills fuzz/corpus/<target>/ with small snippets cut at run time from the shared corpora and
# the seed paper (never committed: corpus/ is ignored), plus a few hand-written inputs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
shared=${SHARED:-$here/../../shared}
corpora=$shared/corpora
seed=$here/../seeds/000_ed9a9c1b19ae5cc2.txt
out=$here/corpus
mkdir -p "$out/summary" "$out/pubtator" "$out/bioc" "$out/query" "$out/detect_parse"

# Records are separated by blank lines: take the first few records of each PubTator file.
n=0
for f in "$corpora"/*/*PubTator* "$corpora"/ncbi-disease/NCBI*corpus.txt; do
    [ -f "$f" ] || continue
    case "$f" in *.XML|*.xml) continue ;; esac
    n=$((n + 1))
    # Some files have CRLF or no blank lines between records: cap at 20 lines.
    awk -v RS= -v ORS='\n\n' 'NR <= 2' "$f" | head -n 20 > "$out/pubtator/snippet$n"
    cp "$out/pubtator/snippet$n" "$out/detect_parse/pubtator$n"
done

# BioC: the head of each file up to the end of its second document, then closed.
n=0
for f in "$corpora"/biored/*.BioC.XML; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    # The files may be one long line: cut by bytes after the second </document>.
    python3 -c 'import sys; s = open(sys.argv[1], "rb").read(200000); i = s.find(b"</document>"); i = s.find(b"</document>", i + 1); sys.stdout.buffer.write(s[: i + 11] + b"\n</collection>\n")' "$f" > "$out/bioc/snippet$n"
    cp "$out/bioc/snippet$n" "$out/detect_parse/bioc$n"
done
cat > "$out/bioc/entities" <<'XML'
<?xml version="1.0"?><!DOCTYPE collection [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;"><!ENTITY x SYSTEM "file:///etc/passwd">]>
<collection><document><id>1</id><passage><infon key="type">title</infon><offset>0</offset><text>&b; &x; &amp; &#945;</text>
<annotation id="0"><infon key="identifier">673</infon><infon key="type">Gene</infon><location offset="0" length="4"/><text>aaaa</text></annotation></passage>
<relation id="R0"><infon key="type">Bind</infon><node refid="0" role="a"/><node refid="9" role="b"/></relation></document></collection>
XML

# Summary: the seed paper whole, and its first 60 lines.
if [ -f "$seed" ]; then
    cp "$seed" "$out/summary/seed"
    head -n 60 "$seed" > "$out/summary/seed_head"
    cp "$seed" "$out/detect_parse/summary"
fi
printf '## Abstract\n\nx\n\n# Late title\n\n## Abstract\n\ny\n\n## Linked entities\n\n- **Genes:** A (B [NCBI Gene 1], C {aka D\n---\nSource: https://x.org/PMC1\n' > "$out/summary/hand"

# Queries: one of each kind of term.
i=0
for q in 'pd-l1' "'exact ^prefix suffix\$ !not" 'title:melanoma author:lovelace journal:tests' \
    'year:2019..2023 year:..2020 year:2021' 'gene:PD-L1 disease:npc species:human' \
    'is:bookmarked pmid:1 doi:10.1000/xyz key:PMID:1' 'MESH:D008545 NCBIGene:29126' \
    'tnf-α ΑΒΓ ǅ İ' '^checkpoint$ !^a' 'year:abc gene: :x !'; do
    i=$((i + 1))
    printf '%s' "$q" > "$out/query/q$i"
done
echo "seeded $(find "$out" -type f | wc -l) inputs under $out"
