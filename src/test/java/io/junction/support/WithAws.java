package io.junction.support;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Tests that look at the AWS emulator from outside, as another service would: SNS and SQS clients. */
public abstract class WithAws {

    protected static SnsClient sns;
    protected static SqsClient sqs;

    @BeforeAll
    static void openAwsClients() {
        sns = Aws.sns();
        sqs = Aws.sqs();
    }

    @AfterAll
    static void closeAwsClients() {
        sns.close();
        sqs.close();
    }
}
