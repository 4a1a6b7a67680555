"""Creates, through botocore, the IAM user, policy and access key the
end-to-end suite signs with on a moto server whose first three calls are
unauthenticated. Prints the access key id and the secret, one per line."""

import json
import sys

import botocore.session


def main():
    endpoint = sys.argv[1]
    session = botocore.session.get_session()
    iam = session.create_client(
        "iam",
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="bootstrap",
        aws_secret_access_key="bootstrap",
    )
    iam.create_user(UserName="slim-e2e")
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    }
    iam.put_user_policy(UserName="slim-e2e", PolicyName="all", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName="slim-e2e")["AccessKey"]
    print(key["AccessKeyId"])
    print(key["SecretAccessKey"])


if __name__ == "__main__":
    main()
