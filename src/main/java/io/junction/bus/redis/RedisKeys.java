package io.junction.bus.redis;

/**
 * Names of everything Junction keeps in Redis. A channel's keys share the hash tag {@code {channel}},
 * so they live in one Redis Cluster slot and one script may touch them all.
 */
public final class RedisKeys {

    private final String prefix;
    private final String pubsubPrefix;

    public RedisKeys(String prefix) {
        this.prefix = prefix;
        this.pubsubPrefix = prefix + ":{";
    }

    /** Hash with the channel's history {@code epoch} and last {@code seq}. */
    public String meta(String channel) {
        return pubsubPrefix + channel + "}:m";
    }

    /** Stream of the channel's kept events, with ids {@code <seq>-0}. */
    public String history(String channel) {
        return pubsubPrefix + channel + "}:h";
    }

    /** Hash of the channel's subscribers, by session. */
    public String presence(String channel) {
        return pubsubPrefix + channel + "}:p";
    }

    /** The pub/sub channel that carries the channel's live events between pods. */
    public String pubsub(String channel) {
        return pubsubPrefix + channel + "}";
    }

    /** The Junction channel of a pub/sub channel name, or null when it is not one of ours. */
    public String channelOf(String pubsub) {
        if (!pubsub.startsWith(pubsubPrefix) || !pubsub.endsWith("}")) {
            return null;
        }
        return pubsub.substring(pubsubPrefix.length(), pubsub.length() - 1);
    }

    /** Key that exists while a node (one run of it) is alive. */
    public String nodeAlive(String node, String incarnation) {
        return prefix + ":node:" + node + ":" + incarnation;
    }
}
