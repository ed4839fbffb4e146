package io.junction.topology;

import java.util.ArrayList;
import java.util.List;

/**
 * What a reconcile (or a read-only check) found and did, subscription by subscription: each step's
 * outcome, and every attribute whose actual value differs from the declared one.
 */
public record TopologyReport(long at, boolean applied, List<Subscription> subscriptions) {

    public boolean confirmed() {
        return !subscriptions.isEmpty() && subscriptions.stream().allMatch(Subscription::confirmed);
    }

    public boolean changed() {
        return subscriptions.stream().flatMap(s -> s.steps().stream()).anyMatch(st -> !st.outcome().equals("unchanged")
                && !st.outcome().equals("ok"));
    }

    public record Subscription(String name, String topicArn, String queueUrl, String subscriptionArn, List<Step> steps,
            List<Drift> drift, String error) {

        public boolean confirmed() {
            return error == null && drift.isEmpty() && subscriptionArn != null;
        }
    }

    /** @param outcome created, updated, unchanged, missing (check only), failed */
    public record Step(String what, String outcome) {
    }

    public record Drift(String what, String expected, String actual) {
    }

    static final class Builder {
        final String name;
        String topicArn;
        String queueUrl;
        String subscriptionArn;
        final List<Step> steps = new ArrayList<>();
        final List<Drift> drift = new ArrayList<>();

        Builder(String name) {
            this.name = name;
        }

        void step(String what, String outcome) {
            steps.add(new Step(what, outcome));
        }

        Subscription build(String error) {
            return new Subscription(name, topicArn, queueUrl, subscriptionArn, List.copyOf(steps), List.copyOf(drift), error);
        }
    }
}
