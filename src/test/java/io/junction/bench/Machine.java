package io.junction.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.vertx.core.json.JsonObject;

/** The box a benchmark ran on, recorded beside its figures. */
final class Machine {

    private Machine() {
    }

    static JsonObject describe() {
        String cpu = "unknown";
        long memKb = 0;
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
            memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D+", ""))).orElse(0L);
        } catch (IOException ignored) {
            // not Linux: leave unknown
        }
        return new JsonObject().put("cpus", Runtime.getRuntime().availableProcessors()).put("cpuModel", cpu)
                .put("memoryGB", Math.round(memKb / 1024.0 / 1024.0)).put("java", System.getProperty("java.version"))
                .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    }
}
