package io.junction.support;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The AWS emulator the tests talk to (moto, started by scripts/services.sh; or LocalStack/Floci),
 * reached with the real AWS SDK, as a consumer of Junction's topics would reach SNS and SQS.
 */
public final class Aws {

    public static final String ENDPOINT = System.getenv().getOrDefault("JUNCTION_TEST_AWS_ENDPOINT", "http://127.0.0.1:4566");
    public static final String REGION = "us-east-1";

    private Aws() {
    }

    /** Junction's settings for the emulator, for test profiles and processes. */
    public static Map<String, String> junctionConfig(String endpoint) {
        Map<String, String> config = new java.util.HashMap<>();
        for (String service : List.of("sns", "sqs")) {
            config.put("quarkus." + service + ".endpoint-override", endpoint);
            config.put("quarkus." + service + ".aws.region", REGION);
            config.put("quarkus." + service + ".aws.credentials.type", "static");
            config.put("quarkus." + service + ".aws.credentials.static-provider.access-key-id", "test");
            config.put("quarkus." + service + ".aws.credentials.static-provider.secret-access-key", "test");
        }
        return config;
    }

    public static SnsClient sns() {
        return SnsClient.builder().endpointOverride(URI.create(ENDPOINT)).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    public static SqsClient sqs() {
        return SqsClient.builder().endpointOverride(URI.create(ENDPOINT)).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    public static software.amazon.awssdk.services.sqs.SqsAsyncClient sqsAsync() {
        return software.amazon.awssdk.services.sqs.SqsAsyncClient.builder().endpointOverride(URI.create(ENDPOINT))
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
    }

    /** A queue subscribed to the topic; returns the queue URL. */
    public static String subscribedQueue(SnsClient sns, SqsClient sqs, String topicArn, String queueName, boolean raw) {
        boolean fifo = queueName.endsWith(".fifo");
        String url = sqs.createQueue(b -> b.queueName(queueName).attributes(fifo
                ? Map.of(QueueAttributeName.FIFO_QUEUE, "true")
                : Map.of())).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String subscription = sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(arn)).subscriptionArn();
        if (raw) {
            sns.setSubscriptionAttributes(b -> b.subscriptionArn(subscription).attributeName("RawMessageDelivery")
                    .attributeValue("true"));
        }
        return url;
    }

    /** Receives until {@code count} messages arrived or the deadline passed; returns what arrived. */
    public static List<Message> receive(SqsClient sqs, String queueUrl, int count, Duration deadline) {
        List<Message> out = new ArrayList<>();
        long end = System.nanoTime() + deadline.toNanos();
        while (out.size() < count && System.nanoTime() < end) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageAttributeNames("All").attributeNamesWithStrings("All")).messages();
            for (Message m : batch) {
                out.add(m);
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
        return out;
    }
}
