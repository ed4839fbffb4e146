package io.junction.sns;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.junction.outbox.OutboxEntry;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sns.SnsAsyncClient;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;

/**
 * One {@code PublishBatch} call for up to 10 outbox entries of one topic, and what became of each:
 * published, to retry (throttling, 5xx, network), or dead (SNS will never take it as it is). The
 * CloudEvents envelope is the message; {@code type} and the event's attributes become message
 * attributes, so subscription filter policies can route by them.
 */
@ApplicationScoped
public class SnsPublisher {

    public static final int MAX_BATCH_ENTRIES = 10;
    public static final int MAX_BATCH_BYTES = 262_144;
    private static final long CALL_TIMEOUT_SECONDS = 30;

    private final Instance<SnsAsyncClient> client;
    private final TopicRegistry topics;

    SnsPublisher(Instance<SnsAsyncClient> client, TopicRegistry topics) {
        this.client = client;
        this.topics = topics;
    }

    public enum Outcome {
        PUBLISHED,
        RETRY,
        DEAD
    }

    public record Result(OutboxEntry entry, Outcome outcome, String reason) {
    }

    /** What SNS counts against the 256 KiB limit for an entry: message plus attribute names and values. */
    public static int size(OutboxEntry e) {
        int size = e.envelope().length + "type".length() + e.type().length() + "String".length();
        for (Map.Entry<String, String> a : e.attributes().entrySet()) {
            size += a.getKey().length() + a.getValue().getBytes(StandardCharsets.UTF_8).length + "String".length();
        }
        return size;
    }

    /** Blocks the calling thread (the relay's, never an event loop) until SNS answered. */
    public List<Result> publish(String topic, List<OutboxEntry> entries) {
        String arn;
        try {
            arn = topics.arn(topic);
        } catch (TopicRegistry.TopicNotConfiguredException e) {
            return all(entries, Outcome.DEAD, e.getMessage());
        } catch (Exception e) {
            return classify(entries, e, "resolving topic " + topic);
        }
        boolean fifo = topic.endsWith(".fifo");
        List<PublishBatchRequestEntry> batch = new ArrayList<>(entries.size());
        Map<String, OutboxEntry> byId = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            OutboxEntry e = entries.get(i);
            String id = "e" + i;
            byId.put(id, e);
            Map<String, MessageAttributeValue> attributes = new HashMap<>();
            attributes.put("type", string(e.type()));
            e.attributes().forEach((k, v) -> attributes.put(k, string(v)));
            PublishBatchRequestEntry.Builder entry = PublishBatchRequestEntry.builder().id(id)
                    .message(new String(e.envelope(), StandardCharsets.UTF_8)).messageAttributes(attributes);
            if (fifo) {
                entry.messageGroupId(e.group() != null ? e.group() : e.channel() != null ? e.channel() : "default")
                        .messageDeduplicationId(dedupId(e.eventId()));
            }
            batch.add(entry.build());
        }
        PublishBatchResponse response;
        try {
            response = client.get().publishBatch(PublishBatchRequest.builder().topicArn(arn).publishBatchRequestEntries(batch)
                    .build()).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            return classify(entries, e, "PublishBatch to " + topic);
        }
        List<Result> results = new ArrayList<>(entries.size());
        response.successful().forEach(ok -> results.add(new Result(byId.remove(ok.id()), Outcome.PUBLISHED, null)));
        for (BatchResultErrorEntry failed : response.failed()) {
            OutboxEntry e = byId.remove(failed.id());
            String reason = failed.code() + ": " + failed.message();
            // SNS marks failures the caller caused (bad parameters, too large) as sender faults.
            results.add(new Result(e, Boolean.TRUE.equals(failed.senderFault()) ? Outcome.DEAD : Outcome.RETRY, reason));
        }
        // An entry SNS said nothing about did not go out.
        byId.values().forEach(e -> results.add(new Result(e, Outcome.RETRY, "no result for this entry")));
        return results;
    }

    private static List<Result> classify(List<OutboxEntry> entries, Exception failure, String what) {
        Throwable cause = failure instanceof ExecutionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof AwsServiceException aws) {
            int status = aws.statusCode();
            boolean passing = status >= 500 || status == 429 || aws.isThrottlingException();
            String reason = what + ": " + (aws.awsErrorDetails() != null ? aws.awsErrorDetails().errorCode() + " " : "")
                    + "(HTTP " + status + ") " + (aws.awsErrorDetails() != null ? aws.awsErrorDetails().errorMessage() : aws.getMessage());
            return all(entries, passing ? Outcome.RETRY : Outcome.DEAD, reason);
        }
        if (cause instanceof SdkClientException || cause instanceof TimeoutException
                || cause instanceof java.io.IOException) {
            return all(entries, Outcome.RETRY, what + ": " + cause);
        }
        return all(entries, Outcome.RETRY, what + ": " + cause);
    }

    private static List<Result> all(List<OutboxEntry> entries, Outcome outcome, String reason) {
        return entries.stream().map(e -> new Result(e, outcome, reason)).toList();
    }

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    /** SNS takes at most 128 characters; longer client ids are hashed, still stable per event. */
    static String dedupId(String eventId) {
        if (eventId.length() <= 128) {
            return eventId;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(eventId.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
