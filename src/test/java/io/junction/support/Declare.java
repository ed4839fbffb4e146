package io.junction.support;

import java.util.Map;

/** Declared subscriptions for test profiles, as application.properties would carry them. */
public final class Declare {

    private Declare() {
    }

    /** {@code subscription(config, "jobs", "topic", "invites", "raw", "true")} → junction.topology.subscriptions."jobs".topic=… */
    public static void subscription(Map<String, String> config, String name, String... settings) {
        if (settings.length % 2 != 0) {
            throw new IllegalArgumentException("settings come in key, value pairs");
        }
        for (int i = 0; i < settings.length; i += 2) {
            config.put("junction.topology.subscriptions.\"" + name + "\"." + settings[i], settings[i + 1]);
        }
    }
}
