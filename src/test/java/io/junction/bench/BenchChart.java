package io.junction.bench;

import java.util.Locale;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A plain SVG chart of delivery latency per publish rate, for the README. */
final class BenchChart {

    private BenchChart() {
    }

    static String latencyChart(JsonObject result) {
        JsonArray steps = result.getJsonArray("steps");
        int width = 640;
        int height = 320;
        int left = 60;
        int bottom = 260;
        int top = 40;
        double maxMs = 1;
        for (int i = 0; i < steps.size(); i++) {
            maxMs = Math.max(maxMs, steps.getJsonObject(i).getDouble("p99Ms"));
        }
        maxMs = Math.ceil(maxMs * 1.15);
        double scale = (bottom - top) / maxMs;
        int slot = (width - left - 20) / Math.max(1, steps.size());
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
                + "font-family='sans-serif' font-size='12'>%n", width, height));
        svg.append("<rect width='100%' height='100%' fill='white'/>\n");
        svg.append(String.format(Locale.ROOT, "<text x='%d' y='20' font-size='14'>Cross-node delivery latency "
                + "(%d nodes, %d clients, %d receivers per event)</text>%n", left,
                result.getJsonObject("setup").getInteger("nodes"), result.getJsonObject("setup").getInteger("clients"),
                result.getJsonObject("setup").getInteger("receiversPerEvent")));
        svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='black'/>%n", left, bottom, width - 10, bottom));
        svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='black'/>%n", left, top, left, bottom));
        for (int t = 0; t <= 4; t++) {
            double ms = maxMs * t / 4;
            int y = (int) (bottom - ms * scale);
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='end'>%.1f ms</text>%n", left - 5, y + 4, ms));
            svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#ddd'/>%n", left, y, width - 10, y));
        }
        for (int i = 0; i < steps.size(); i++) {
            JsonObject s = steps.getJsonObject(i);
            int x = left + 10 + i * slot;
            int w = (slot - 20) / 2;
            bar(svg, x, w, bottom, s.getDouble("p50Ms") * scale, "#4a90d9");
            bar(svg, x + w, w, bottom, s.getDouble("p99Ms") * scale, "#d9534f");
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='middle'>%,.0f/s</text>%n", x + w, bottom + 16,
                    s.getDouble("deliveriesPerSecond")));
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='middle' font-size='10'>%.1f / %.1f</text>%n",
                    x + w, (int) (bottom - s.getDouble("p99Ms") * scale) - 4, s.getDouble("p50Ms"), s.getDouble("p99Ms")));
        }
        svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d'>deliveries per second</text>%n", width / 2 - 60, bottom + 34));
        svg.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='10' height='10' fill='#4a90d9'/><text x='%d' y='%d'>p50</text>%n",
                width - 140, bottom + 26, width - 125, bottom + 35));
        svg.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='10' height='10' fill='#d9534f'/><text x='%d' y='%d'>p99</text>%n",
                width - 90, bottom + 26, width - 75, bottom + 35));
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void bar(StringBuilder svg, int x, int w, int bottom, double h, String color) {
        svg.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='%d' height='%d' fill='%s'/>%n", x,
                (int) (bottom - h), w, (int) Math.max(1, h), color));
    }
}
