package io.junction.event;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An accepted event: the routing fields Junction needs, plus the CloudEvents envelope already
 * serialized. The envelope is encoded exactly once, when the event is accepted; every frame, history
 * entry and SNS message reuses these bytes.
 *
 * @param attributes SNS message attributes (string values); empty when none were given
 * @param group FIFO message group, or null
 */
public record Event(String id, String type, String channel, String topic, String group,
        Map<String, String> attributes, byte[] envelope) {

    public String envelopeJson() {
        return new String(envelope, StandardCharsets.UTF_8);
    }

    public boolean hasChannel() {
        return channel != null;
    }
}
