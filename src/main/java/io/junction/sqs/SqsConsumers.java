package io.junction.sqs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import io.junction.bus.Bus;
import io.junction.config.JunctionConfig;
import io.junction.config.JunctionConfig.Topology.SubscriptionSpec;
import io.junction.inbound.InboundDelivery;
import io.junction.topology.Subscriptions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/** One {@link SqsConsumer} per declared sqs subscription that names a channel; started and stopped with the pod. */
@ApplicationScoped
public class SqsConsumers {

    private final JunctionConfig config;
    private final Instance<SqsAsyncClient> sqs;
    private final InboundDelivery delivery;
    private final Bus bus;
    private final MeterRegistry registry;
    private final List<SqsConsumer> consumers = new ArrayList<>();
    private ScheduledExecutorService timer;

    SqsConsumers(JunctionConfig config, Instance<SqsAsyncClient> sqs, InboundDelivery delivery, Bus bus, MeterRegistry registry) {
        this.config = config;
        this.sqs = sqs;
        this.delivery = delivery;
        this.bus = bus;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        JunctionConfig.Sqs c = config.sqs();
        for (Map.Entry<String, SubscriptionSpec> e : config.topology().subscriptions().entrySet()) {
            SubscriptionSpec spec = e.getValue();
            if (!Subscriptions.consumedByJunction(spec)) {
                continue;
            }
            var settings = new SqsConsumer.Settings(c.waitTime(), c.visibilityTimeout(), c.maxInFlight(), c.retryMin(),
                    spec.maxReceiveCount());
            String name = e.getKey();
            String channel = spec.channel().get();
            SqsConsumer consumer = new SqsConsumer(name, Subscriptions.queue(name, spec), spec.raw(), settings, sqs.get(),
                    notification -> delivery.deliver(name, channel, notification), bus::isReady);
            Gauge.builder("junction.sqs.in.hand", consumer, SqsConsumer::inHand).tag("subscription", e.getKey())
                    .description("Messages received from the subscription's queue and not yet handled").register(registry);
            consumers.add(consumer);
        }
        if (consumers.isEmpty()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "junction-sqs-visibility");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1000, config.sqs().visibilityTimeout().toMillis() / 4);
        timer.scheduleAtFixedRate(() -> consumers.forEach(SqsConsumer::extendSlowOnes), every, every, TimeUnit.MILLISECONDS);
        consumers.forEach(SqsConsumer::start);
    }

    void stop(@Observes ShutdownEvent event) {
        consumers.forEach(c -> c.stop(Duration.ofSeconds(2)));
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
