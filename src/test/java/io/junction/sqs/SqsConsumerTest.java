package io.junction.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.junction.support.Aws;
import io.junction.support.Deadline;
import io.junction.support.WithAws;
import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The consumer against a real queue (the emulator), with a handler the test controls: slow handling
 * has its visibility extended, so the message is not received twice; no more than max-in-flight
 * messages are in hand at once; a FIFO group is handled in order, also when one of its messages fails.
 */
class SqsConsumerTest extends WithAws {

    private SqsAsyncClient async;
    private ScheduledExecutorService timer;
    private String queue;
    private String url;

    @BeforeEach
    void queue() {
        async = Aws.sqsAsync();
        timer = Executors.newSingleThreadScheduledExecutor();
        queue = "consumer-" + UUID.randomUUID().toString().substring(0, 8);
        url = sqs.createQueue(b -> b.queueName(queue)).queueUrl();
    }

    @AfterEach
    void close() {
        timer.shutdownNow();
        async.close();
    }

    SqsConsumer consumer(int maxInFlight, Duration visibility, java.util.function.Function<JsonNode, Uni<Void>> handler) {
        var settings = new SqsConsumer.Settings(Duration.ofSeconds(1), visibility, maxInFlight, Duration.ofSeconds(1), 5);
        SqsConsumer c = new SqsConsumer("test", queue, true, settings, async, handler, () -> true);
        // As SqsConsumers schedules it: a quarter of the visibility timeout, here faster.
        timer.scheduleAtFixedRate(c::extendSlowOnes, 250, 250, TimeUnit.MILLISECONDS);
        return c;
    }

    @Test
    void handlingSlowerThanTheVisibilityTimeoutIsExtendedAndTheMessageReceivedOnce() {
        List<String> handled = new CopyOnWriteArrayList<>();
        SqsConsumer c = consumer(5, Duration.ofSeconds(2), n -> {
            handled.add(n.path("Message").asText());
            return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofSeconds(5));
        });
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("slow"));
        c.start();
        try {
            Deadline.await("the slow message to be handled and deleted", Duration.ofSeconds(20), () -> depth() == 0 && !handled.isEmpty());
            assertThat(handled).containsExactly("slow");
        } finally {
            c.stop(Duration.ofSeconds(2));
        }
    }

    @Test
    void noMoreThanMaxInFlightAreInHandAndAllAreHandledOnceReleased() {
        Map<String, CompletableFuture<Void>> held = new ConcurrentHashMap<>();
        AtomicInteger mostInHand = new AtomicInteger();
        SqsConsumer c = consumer(3, Duration.ofSeconds(30), n -> {
            CompletableFuture<Void> f = new CompletableFuture<>();
            held.put(n.path("Message").asText(), f);
            return Uni.createFrom().completionStage(f);
        });
        for (int i = 0; i < 10; i++) {
            String body = "m" + i;
            sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
        }
        c.start();
        try {
            Deadline.await("3 messages in hand", Duration.ofSeconds(10), () -> held.size() == 3);
            long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < end) { // watch the bound hold while the handler keeps them
                mostInHand.accumulateAndGet(c.inHand(), Math::max);
                LockSupport.parkNanos(1_000_000);
            }
            assertThat(mostInHand.get()).isEqualTo(3);
            assertThat(held).hasSize(3);
            Deadline.await("all 10 handled", Duration.ofSeconds(20), () -> {
                held.values().forEach(f -> f.complete(null));
                return held.size() == 10 && depth() == 0;
            });
        } finally {
            c.stop(Duration.ofSeconds(2));
        }
    }

    @Test
    void aFifoGroupIsHandledInOrderAlsoAcrossAFailure() {
        String fifoQueue = queue + ".fifo";
        String fifoUrl = sqs.createQueue(b -> b.queueName(fifoQueue).attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true",
                QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"))).queueUrl();
        List<String> handled = new CopyOnWriteArrayList<>();
        AtomicInteger attemptsOfThird = new AtomicInteger();
        var settings = new SqsConsumer.Settings(Duration.ofSeconds(1), Duration.ofSeconds(30), 10, Duration.ofSeconds(1), 5);
        SqsConsumer c = new SqsConsumer("fifo", fifoQueue, true, settings, async, n -> {
            String body = n.path("Message").asText();
            if (body.equals("m3") && attemptsOfThird.incrementAndGet() == 1) {
                return Uni.createFrom().failure(new IllegalStateException("the first try of m3 fails"));
            }
            handled.add(body);
            return Uni.createFrom().voidItem();
        }, () -> true);
        for (int i = 1; i <= 6; i++) {
            String body = "m" + i;
            sqs.sendMessage(b -> b.queueUrl(fifoUrl).messageBody(body).messageGroupId("team-7"));
        }
        c.start();
        try {
            Deadline.await("all six handled", Duration.ofSeconds(20), () -> handled.size() >= 6);
            assertThat(handled).containsExactly("m1", "m2", "m3", "m4", "m5", "m6");
            assertThat(attemptsOfThird.get()).isEqualTo(2);
        } finally {
            c.stop(Duration.ofSeconds(2));
        }
    }

    int depth() {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }
}
