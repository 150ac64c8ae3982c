#!/usr/bin/env bash
# Benchmark: upload + publish of a large artifact against `openssl dgst -sha256` of the same file,
# measured in the same run, and the control plane's memory (heap, and Netty's direct memory) during uploads of two sizes.
# The same upload + publish on the S3 blob store too (a second control plane on an S3Proxy of its
# own, on this machine's disk), and how long its origin seeder then takes to copy the blob to its
# local cache; --no-s3 leaves that out.
#
#   e2e/bench/upload-publish.sh [--size 1G] [--small 256M] [--runs 5] [--warmup 3] [--heap 256m] [--no-s3] [--no-record]
#
# The first --warmup uploads of the large file after the control plane starts are not part of
# the median: the JIT needs about 3 GB of uploads before the hashing loops run at full speed on
# 2 cores. The first one is reported on a line of its own (cold start).
# Starts Keycloak (deploy/keycloak/start.sh) if it is not running and its own control plane
# (packaged jar, fresh STARLING_HOME, -Xmx from --heap) on a free port; stops what it started.
# Prints a markdown table and records it in docs/benchmarks-history.md unless --no-record.
set -euo pipefail

SIZE=1G SMALL=256M RUNS=5 WARMUP=3 HEAP=256m RECORD=1 S3=1
while (($#)); do
  case "$1" in
    --size) SIZE=$2; shift 2 ;;
    --small) SMALL=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --heap) HEAP=$2; shift 2 ;;
    --no-record) RECORD=0; shift ;;
    --no-s3) S3=0; shift ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "upload-publish.sh: error: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done

for tool in openssl awk numfmt bc; do
  command -v "$tool" >/dev/null || { echo "upload-publish.sh: error: '$tool' is not installed" >&2; exit 1; }
done
# shellcheck source=lib/control-plane.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/control-plane.sh"
# The origin seeder on a free port: another control plane on this machine may hold the default one.
bench_start -Xmx"$HEAP" -Dstarling.seed.listen-interface=127.0.0.1:0
token() { bench_token; }
AUTH="Authorization: Bearer $(token)"
curl -fsS -H "$AUTH" -H 'Content-Type: application/json' "$API/products" -d '{"name":"bench"}' >/dev/null
if ((S3)); then
  bench_start_s3 -Xmx"$HEAP"
  curl -fsS -H "$AUTH" -H 'Content-Type: application/json' "$S3_API/products" -d '{"name":"bench"}' >/dev/null
fi

# The S3 control plane's seed cache: blobs copied there, and the wait for the next one (after a publication).
cached_blobs() { # the folder appears with the first copy
  { find "$S3_HOME/seed-cache" -maxdepth 1 -type f -regextype egrep -regex '.*/[0-9a-f]{64}' 2>/dev/null || true; } | wc -l
}
await_cached() { # await_cached COUNT_BEFORE -> seconds until one more blob is in the cache
  local t0 before=$1
  t0=$(now)
  for _ in $(seq 1 3000); do
    (($(cached_blobs) > before)) && { echo "$(now) - $t0" | bc -l; return; }
    sleep 0.1
  done
  bench_die "the S3 control plane's origin seeder did not copy the blob to its cache within 300 s"
}

# Memory in use now, from one scrape of /q/metrics, in MiB: the heap (garbage included); what
# survived young collections (the old generation: what would grow if an upload were buffered);
# and Netty's pooled direct memory, where an upload's network buffers wait to be hashed.
mem_now() {
  curl -fsS "$MANAGEMENT/q/metrics" 2>/dev/null | awk '
    /^jvm_memory_used_bytes\{.*area="heap"/ {h+=$NF}
    /^jvm_memory_used_bytes\{.*area="heap".*Old Gen/ {o+=$NF}
    /^netty_allocator_memory_used\{.*PooledByteBufAllocator.*memory_type="direct"/ {d+=$NF}
    END {printf "%.0f %.0f %.0f", h/1048576, o/1048576, d/1048576}'
}
now() { date +%s.%N; }
# All CPU time and the part of it the hypervisor gave to other guests (steal), in ticks, from /proc/stat.
cpu_ticks() { awk '/^cpu / {t=0; for (i=2; i<=9; i++) t+=$i; print t, $9}' /proc/stat; }

# upload_publish VERSION FILE [sample] → prints "seconds peak_heap peak_old_gen peak_direct cpu_ticks steal_ticks"
# With "sample", heap is read from /q/metrics every 100 ms during the upload. Timed runs go without:
# twenty full Prometheus scrapes a second cost the server a noticeable share of two cores.
upload_publish() {
  local version=$1 file=$2 sample=${3:-} peak=0 h
  AUTH="Authorization: Bearer $(token)"
  # Bytes of their own for every upload, as a new release brings: the same bytes again would be
  # a blob the store already has, and deleting the duplicate is not what this measures.
  cp "$file" "$WORK/upload.bin"
  printf '%s' "$version $RANDOM" | dd of="$WORK/upload.bin" conv=notrunc status=none
  sync "$WORK/upload.bin" # no writeback of the copy during the timed upload
  cat "$WORK/upload.bin" >/dev/null # from a hot page cache, as openssl reads its file
  file="$WORK/upload.bin"
  curl -fsS -H "$AUTH" -H 'Content-Type: application/json' "$API/products/bench/releases" -d "{\"version\":\"$version\"}" >/dev/null
  : >"$WORK/heap-$version"
  local sampler=""
  if [[ -n "$sample" ]]; then
    ( while :; do mem_now; echo; sleep 0.1; done ) >"$WORK/heap-$version" 2>/dev/null &
    sampler=$!
  fi
  local t0 t1 ta sa tb sb
  read -r ta sa < <(cpu_ticks)
  t0=$(now)
  curl -fsS -H "$AUTH" -T "$file" "$API/products/bench/releases/$version/artifacts/artifact.bin" >/dev/null
  curl -fsS -H "$AUTH" -X POST "$API/products/bench/releases/$version/publish" >/dev/null
  t1=$(now)
  read -r tb sb < <(cpu_ticks)
  if [[ -n "$sampler" ]]; then kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true; fi
  peak=$(awk '{print $1}' "$WORK/heap-$version" | sort -n | tail -1)
  live=$(awk '{print $2}' "$WORK/heap-$version" | sort -n | tail -1)
  direct=$(awk '{print $3}' "$WORK/heap-$version" | sort -n | tail -1)
  echo "$(echo "$t1 - $t0" | bc -l) ${peak:-0} ${live:-0} ${direct:-0} $((tb - ta)) $((sb - sa))"
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "upload-publish.sh: creating $SIZE and $SMALL test files in $WORK" >&2
head -c "$SIZE" /dev/urandom >"$WORK/big.bin"
head -c "$SMALL" /dev/urandom >"$WORK/small.bin"
BYTES=$(stat -c %s "$WORK/big.bin")
SMALL_BYTES=$(stat -c %s "$WORK/small.bin")
cat "$WORK/big.bin" >/dev/null # both contenders read from a hot page cache

# Heap is measured on the untimed uploads: every warm-up (large file) and the small file.
openssl_times=() starling_times=() big_peaks=() small_peaks=() big_live=() small_live=() big_direct=() small_direct=()
COLD_S="" S3_COLD_S="" s3_times=() s3_copy_times=()
for i in $(seq 1 "$WARMUP"); do
  read -r s p l d _ < <(upload_publish "warmup-$i" "$WORK/big.bin" sample)
  big_peaks+=("$p"); big_live+=("$l"); big_direct+=("$d")
  [[ -z "$COLD_S" ]] && COLD_S=$s
  if ((S3)); then
    c=$(cached_blobs)
    read -r s _ < <(API=$S3_API upload_publish "warmup-$i" "$WORK/big.bin")
    [[ -z "$S3_COLD_S" ]] && S3_COLD_S=$s
    await_cached "$c" >/dev/null
  fi
done
STEAL=0 TICKS=0
for i in $(seq 1 "$RUNS"); do
  read -r ta sa < <(cpu_ticks)
  t0=$(now); openssl dgst -sha256 "$WORK/big.bin" >/dev/null; t1=$(now)
  read -r tb sb < <(cpu_ticks)
  openssl_times+=("$(echo "$t1 - $t0" | bc -l)")
  read -r s p l d ut us < <(upload_publish "big-$i" "$WORK/big.bin" "$( ((WARMUP)) || echo sample)")
  TICKS=$((TICKS + tb - ta + ut)); STEAL=$((STEAL + sb - sa + us))
  starling_times+=("$s")
  if ((S3)); then
    c=$(cached_blobs)
    read -r s _ _ _ ut us < <(API=$S3_API upload_publish "big-$i" "$WORK/big.bin")
    TICKS=$((TICKS + ut)); STEAL=$((STEAL + us))
    s3_times+=("$s")
    s3_copy_times+=("$(await_cached "$c")") # not timed above: the seeder copies after the publication
  fi
  ((WARMUP)) || { big_peaks+=("$p"); big_live+=("$l"); big_direct+=("$d"); }
  read -r s p l d _ < <(upload_publish "small-$i" "$WORK/small.bin" sample)
  small_peaks+=("$p"); small_live+=("$l"); small_direct+=("$d")
done

if ((S3)); then # where the S3 uploads' time went, from the store's own log
  grep -o 'Stored blob [0-9a-f]\{12\}.*' "$S3_HOME/../cp-s3.log" | sed 's/^/upload-publish.sh: S3 store: /' >&2 || true
fi

OPENSSL_S=$(printf '%s\n' "${openssl_times[@]}" | median)
STARLING_S=$(printf '%s\n' "${starling_times[@]}" | median)
OPENSSL_MBS=$(echo "$BYTES / $OPENSSL_S / 1000000" | bc -l)
STARLING_MBS=$(echo "$BYTES / $STARLING_S / 1000000" | bc -l)
RATIO=$(echo "$STARLING_MBS / $OPENSSL_MBS" | bc -l)
BIG_PEAK=$(printf '%s\n' "${big_peaks[@]}" | sort -n | tail -1)
SMALL_PEAK=$(printf '%s\n' "${small_peaks[@]}" | sort -n | tail -1)
BIG_LIVE=$(printf '%s\n' "${big_live[@]}" | sort -n | tail -1)
SMALL_LIVE=$(printf '%s\n' "${small_live[@]}" | sort -n | tail -1)
BIG_DIRECT=$(printf '%s\n' "${big_direct[@]}" | sort -n | tail -1)
SMALL_DIRECT=$(printf '%s\n' "${small_direct[@]}" | sort -n | tail -1)
HUMAN=$(numfmt --to=iec "$BYTES")
COLD_ROW=""
if [[ -n "$COLD_S" ]]; then
  COLD_MBS=$(echo "$BYTES / $COLD_S / 1000000" | bc -l)
  COLD_ROW="| the same, first upload after the control plane started (JIT cold, not in the median) | $(printf '%.2f s' "$COLD_S") | $(printf '%.0f MB/s' "$COLD_MBS") | $(printf '%.2f ×' "$(echo "$COLD_MBS / $OPENSSL_MBS" | bc -l)") |"
fi
S3_ROWS="" S3_EACH=""
if ((S3)); then
  S3_S=$(printf '%s\n' "${s3_times[@]}" | median)
  S3_MBS=$(echo "$BYTES / $S3_S / 1000000" | bc -l)
  S3_COPY_S=$(printf '%s\n' "${s3_copy_times[@]}" | median)
  S3_ROWS="| Starling on the S3 blob store (S3Proxy, filesystem provider, same disk): the same, parts sent while hashed, copied to the content key inside the store | $(printf '%.2f s' "$S3_S") | $(printf '%.0f MB/s' "$S3_MBS") | $(printf '%.2f ×' "$(echo "$S3_MBS / $OPENSSL_MBS" | bc -l)") |
| S3 store, after the publication: the origin seeder's copy of the blob into its local cache (GET + SHA-256 + fsync, not in the row above) | $(printf '%.2f s' "$S3_COPY_S") | $(printf '%.0f MB/s' "$(echo "$BYTES / $S3_COPY_S / 1000000" | bc -l)") | |"
  if [[ -n "$S3_COLD_S" ]]; then
    S3_ROWS+="
| S3 store, first upload after the control plane started (JIT cold, not in the median) | $(printf '%.2f s' "$S3_COLD_S") | $(printf '%.0f MB/s' "$(echo "$BYTES / $S3_COLD_S / 1000000" | bc -l)") | |"
  fi
  S3_EACH="; Starling on S3 $(printf '%.2f ' "${s3_times[@]}" | sed 's/ $//; s/ /, /g'); the seeder's copies $(printf '%.2f ' "${s3_copy_times[@]}" | sed 's/ $//; s/ /, /g')"
fi
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
HUMAN_SMALL=$(numfmt --to=iec "$SMALL_BYTES")
each() { printf '%.2f ' "$@" | sed 's/ $//; s/ /, /g'; }
STEAL_PCT=$(echo "100 * $STEAL / $(( TICKS > 0 ? TICKS : 1 ))" | bc -l)

TABLE=$(cat <<T
### Upload + publish vs. openssl ($(date -u +%Y-%m-%d), $(nproc) cores, median of $RUNS)

Command: \`e2e/bench/upload-publish.sh --size $SIZE --small $SMALL --runs $RUNS --warmup $WARMUP --heap $HEAP$( ((S3)) || echo ' --no-s3')\`

| what | $HUMAN file | rate | vs. openssl |
|---|---:|---:|---:|
| baseline: \`openssl dgst -sha256\` (one SHA-256, hot cache) | $(printf '%.2f s' "$OPENSSL_S") | $(printf '%.0f MB/s' "$OPENSSL_MBS") | 1.00 × |
| Starling: \`curl -T\` upload (SHA-256 + v1 SHA-1 pieces + v2 merkle, fsync) + publish (sign) | $(printf '%.2f s' "$STARLING_S") | $(printf '%.0f MB/s' "$STARLING_MBS") | $(printf '%.2f ×' "$RATIO") |
$COLD_ROW
$S3_ROWS

Every run, in seconds: openssl $(each "${openssl_times[@]}"); Starling $(each "${starling_times[@]}")$S3_EACH.
Load average (1, 5, 15 min) at the end: $LOAD.
CPU time the hypervisor gave to other guests (steal) during the timed openssl and Starling runs: $(printf '%.0f' "$STEAL_PCT") %.

| control plane memory (\`-Xmx$HEAP\`), peak in use during (untimed) uploads | $HUMAN_SMALL upload | $HUMAN upload |
|---|---:|---:|
| heap in use (garbage included), peak of 100 ms samples of /q/metrics | ${SMALL_PEAK} MiB | ${BIG_PEAK} MiB |
| old generation in use (what survived young collections), peak | ${SMALL_LIVE} MiB | ${BIG_LIVE} MiB |
| Netty's pooled direct memory (network buffers waiting to be hashed, off the heap), peak | ${SMALL_DIRECT} MiB | ${BIG_DIRECT} MiB |

A 1 GB upload through a control plane capped at \`-Xmx$HEAP\` is itself the proof that nothing buffers the artifact.
T
)
echo "$TABLE"
((RECORD)) && bench_record "$TABLE"
exit 0
