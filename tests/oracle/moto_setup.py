"""Creates, through botocore, the IAM user, policy and access key the
end-to-end suite signs with on a moto server whose first three calls are
unauthenticated, and (signed with that key) a role Lambda may assume. Prints
the access key id, the secret and the role's ARN, one per line."""

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
    signed = session.create_client(
        "iam",
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"],
    )
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    role = signed.create_role(RoleName="slim-e2e-lambda", AssumeRolePolicyDocument=json.dumps(trust))
    print(key["AccessKeyId"])
    print(key["SecretAccessKey"])
    print(role["Role"]["Arn"])


if __name__ == "__main__":
    main()
