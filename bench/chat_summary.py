"""One line from a `hearth-loadgen room` report (bench/chat.sh's sweep)."""
import json
import sys

r = json.load(sys.stdin)
lat = r["delivery_latency_ms"]
print(
    f"acked {r['acked']}/{r['sent']} lost {r['lost']} dup {r['duplicated']} "
    f"out-of-order {r['out_of_order']} refused {r['refused']} "
    f"deliveries/s {r['deliveries_per_s']:.0f} "
    f"p50 {lat['p50']} p99 {lat['p99']} max {lat['max']} ms"
)
