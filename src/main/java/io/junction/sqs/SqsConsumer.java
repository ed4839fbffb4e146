package io.junction.sqs;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.junction.inbound.InboundEvents;
import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * Consumes one subscription's queue: long polls for up to 10 messages while fewer than max-in-flight
 * are in hand, hands each to its channel, deletes it once handled; a failed message is made visible
 * again after a backoff that doubles per receive, and after maxReceiveCount receives SQS moves it to
 * the dead-letter queue. Handling that outlives half the visibility timeout has it extended. While the
 * bus cannot take events, nothing is received (a receive would only burn the message's attempts).
 * The poll loop has its own thread; the SDK calls are asynchronous, so handling never waits on them.
 */
final class SqsConsumer {

    private static final Logger LOG = Logger.getLogger(SqsConsumer.class);
    private static final int MAX_BATCH = 10;

    record Settings(Duration waitTime, Duration visibility, int maxInFlight, Duration retryMin, int maxReceiveCount) {
    }

    private final String name;
    private final String queue;
    private final boolean raw;
    private final Settings settings;
    private final SqsAsyncClient sqs;
    private final Function<JsonNode, Uni<Void>> handler;
    private final boolean fifo;
    private final BooleanSupplier busReady;
    private final Semaphore permits;
    /** Receipt handle → when its visibility was last set (nanoTime), for messages being handled. */
    private final Map<String, Long> inHand = new ConcurrentHashMap<>();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile CompletableFuture<?> receiving;
    private volatile String queueUrl;
    private Thread thread;

    /** @param handler takes one notification; its failure leaves the message for another receive */
    SqsConsumer(String name, String queue, boolean raw, Settings settings, SqsAsyncClient sqs,
            Function<JsonNode, Uni<Void>> handler, BooleanSupplier busReady) {
        this.name = name;
        this.queue = queue;
        this.raw = raw;
        this.settings = settings;
        this.sqs = sqs;
        this.handler = handler;
        this.fifo = queue.endsWith(".fifo");
        this.busReady = busReady;
        this.permits = new Semaphore(settings.maxInFlight());
    }

    String name() {
        return name;
    }

    int inHand() {
        return inHand.size();
    }

    void start() {
        thread = new Thread(this::run, "junction-sqs-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        int failures = 0;
        while (running) {
            try {
                if (queueUrl == null) {
                    queueUrl = await(sqs.getQueueUrl(r -> r.queueName(queue))).queueUrl();
                    LOG.infof("subscription %s: consuming %s", name, queueUrl);
                }
                if (!busReady.getAsBoolean()) {
                    pause(Duration.ofSeconds(1));
                    continue;
                }
                permits.acquire();
                int room = 1;
                while (room < MAX_BATCH && permits.tryAcquire()) {
                    room++;
                }
                List<Message> messages = receive(room).messages(); // gives the room back if it fails
                permits.release(room - messages.size());
                if (!running) {
                    messages.forEach(this::release);
                    permits.release(messages.size());
                    break;
                }
                if (fifo) {
                    handleInOrder(messages);
                } else {
                    messages.forEach(this::handle);
                }
                failures = 0;
                if (messages.isEmpty() && settings.waitTime().toSeconds() < 1) {
                    pause(Duration.ofSeconds(1)); // no long poll configured: never spin on an empty queue
                }
            } catch (InterruptedException e) {
                break;
            } catch (QueueDoesNotExistException e) {
                queueUrl = null;
                LOG.infof("subscription %s: queue %s does not exist (yet); waiting for the topology", name, queue);
                pause(Duration.ofSeconds(2));
            } catch (Exception e) {
                failures++;
                Duration backoff = Duration.ofMillis(Math.min(30_000, 500L << Math.min(failures, 6)));
                LOG.warnf("subscription %s: receiving failed (%s); next try in %d ms", name, e.toString(), backoff.toMillis());
                pause(backoff);
            }
        }
    }

    private ReceiveMessageResponse receive(int max) throws Exception {
        try {
            return await(sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(max)
                    .waitTimeSeconds((int) settings.waitTime().toSeconds())
                    .visibilityTimeout((int) settings.visibility().toSeconds())
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                            MessageSystemAttributeName.MESSAGE_GROUP_ID)
                    .messageAttributeNames("All")));
        } catch (Exception e) {
            permits.release(max);
            throw e;
        }
    }

    private void handle(Message m) {
        start(m).subscribe().with(ok -> done(m, null), failure -> done(m, failure));
    }

    private Uni<Void> start(Message m) {
        inHand.put(m.receiptHandle(), System.nanoTime());
        try {
            return handler.apply(InboundEvents.notification(m.body(), m.messageId(), raw));
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(e);
        }
    }

    /**
     * A FIFO batch keeps its order: each message starts once the one before it is handled (so the bus
     * sees them in order), and after a failure the rest of that message group goes back too, so SQS
     * hands the group out again from the failed message on.
     */
    private void handleInOrder(List<Message> messages) {
        Set<String> failedGroups = new HashSet<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Message m : messages) {
            String group = m.attributes().getOrDefault(MessageSystemAttributeName.MESSAGE_GROUP_ID, "");
            chain = chain.onItem().transformToUni(previous -> {
                if (failedGroups.contains(group)) {
                    // Not its failure: back at once; SQS holds the group until the failed message is visible again.
                    release(m);
                    permits.release();
                    return Uni.createFrom().voidItem();
                }
                return start(m).onItemOrFailure().transformToUni((ok, failure) -> {
                    if (failure != null) {
                        failedGroups.add(group);
                    }
                    done(m, failure);
                    return Uni.createFrom().voidItem();
                });
            });
        }
        chain.subscribe().with(ok -> { }, failure -> LOG.warnf("subscription %s: %s", name, failure.toString()));
    }

    private void done(Message m, Throwable failure) {
        inHand.remove(m.receiptHandle());
        permits.release();
        String url = queueUrl;
        if (failure == null) {
            sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle())).whenComplete((ok, e) -> {
                if (e != null) {
                    // It becomes visible again and is received once more; the delivery drops it as a duplicate.
                    LOG.warnf("subscription %s: could not delete handled message %s: %s", name, m.messageId(), e.toString());
                }
            });
            return;
        }
        int receives = receiveCount(m);
        if (receives >= settings.maxReceiveCount()) {
            LOG.warnf("subscription %s: message %s failed its receive %d of %d; SQS moves it to the dead-letter queue",
                    name, m.messageId(), receives, settings.maxReceiveCount());
        }
        long delay = Math.min(settings.visibility().toSeconds(),
                Math.max(0, settings.retryMin().toSeconds()) << Math.min(Math.max(receives - 1, 0), 16));
        sqs.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()).visibilityTimeout((int) delay));
    }

    private static int receiveCount(Message m) {
        try {
            return Integer.parseInt(m.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1"));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** Called by a timer: messages still in hand after half their visibility get a fresh visibility timeout. */
    void extendSlowOnes() {
        long now = System.nanoTime();
        long half = settings.visibility().toNanos() / 2;
        String url = queueUrl;
        inHand.forEach((receipt, since) -> {
            if (now - since > half && inHand.replace(receipt, since, now)) {
                sqs.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(receipt)
                        .visibilityTimeout((int) settings.visibility().toSeconds()));
            }
        });
    }

    /** A message received while stopping goes back at once, for another pod. */
    private void release(Message m) {
        String url = queueUrl;
        sqs.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
    }

    /** Stops receiving and waits (bounded) for the messages in hand to be handled. */
    void stop(Duration grace) {
        running = false;
        stopping.countDown();
        CompletableFuture<?> r = receiving;
        if (r != null) {
            r.cancel(true);
        }
        if (thread != null) {
            thread.interrupt();
        }
        try {
            if (!permits.tryAcquire(settings.maxInFlight(), grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("subscription %s: stopped with %d messages in hand; SQS delivers them again", name, inHand.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private <T> T await(CompletableFuture<T> future) throws Exception {
        receiving = future;
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                    ? c.getCause() : e.getCause();
            throw cause instanceof Exception failure ? failure : e;
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } finally {
            receiving = null;
        }
    }

    private void pause(Duration d) {
        try {
            stopping.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
