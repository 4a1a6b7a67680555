//! The clients of a generated service module: its `Client` and
//! `AsyncClient` are [`ServiceClient`] and [`AsyncServiceClient`] of the
//! module's [`Service`] marker, and the module adds one method per
//! operation (and per paginator and waiter). Everything else a client does
//! is here, once, for every service.

use std::fmt;
use std::marker::PhantomData;

use super::super::http::Operation;
use super::credentials::ProviderConfig;
use super::{
    AsyncClient, AsyncHttpTransport, AsyncSleep, BlockingClient, CallOptions, Config, ConfigError,
    PresignedRequest, PresigningConfig, SdkError, ServiceInfo,
};

/// A service a generated module describes, for its clients.
pub trait Service: 'static {
    /// What the client needs to know about the service.
    const INFO: ServiceInfo;
}

/// The configuration `from_env` builds, with the crate's partition table.
fn config_from_env() -> Result<Config, ConfigError> {
    let providers = ProviderConfig::default().with_partitions(crate::partitions::PARTITIONS);
    Config::from_provider_config(providers).build()
}

/// A blocking client of the service `S`: one method per operation (in the
/// service's module), each building the request, signing it (SigV4),
/// sending it with the configured transport and retrying as the AWS
/// standard retry mode says. Clones share the configuration and the retry
/// quota.
pub struct ServiceClient<S> {
    inner: BlockingClient,
    service: PhantomData<fn() -> S>,
}

impl<S> Clone for ServiceClient<S> {
    fn clone(&self) -> Self {
        ServiceClient {
            inner: self.inner.clone(),
            service: PhantomData,
        }
    }
}

impl<S> fmt::Debug for ServiceClient<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("inner", &self.inner)
            .finish()
    }
}

impl<S: Service> ServiceClient<S> {
    /// A client configured as the AWS SDKs configure one: region from
    /// `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile or instance metadata;
    /// credentials from the default chain (environment, profile, web
    /// identity, container, instance metadata), cached and refreshed.
    /// See [`Config::from_env`].
    pub fn from_env() -> Result<Self, ConfigError> {
        config_from_env().map(Self::new)
    }

    /// A client with `config`.
    pub fn new(config: Config) -> Self {
        ServiceClient {
            inner: BlockingClient::new(config, S::INFO),
            service: PhantomData,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        self.inner.config()
    }

    /// The runtime client underneath (its retry quota, for instance).
    pub fn inner(&self) -> &BlockingClient {
        &self.inner
    }

    /// Calls any operation of the service with per-call options (another
    /// endpoint, a deadline).
    pub fn call_with<O: Operation>(
        &self,
        input: &O::Input,
        options: &CallOptions,
    ) -> Result<O::Output, SdkError<O::Error>> {
        self.inner.call::<O>(input, options)
    }

    /// Presigns any operation of the service: a URL (and headers) anyone
    /// holding it can send until it expires, as botocore's
    /// `generate_presigned_url` makes it. Nothing is sent.
    pub fn presign<O: Operation>(
        &self,
        input: &O::Input,
        presigning: &PresigningConfig,
    ) -> Result<PresignedRequest, SdkError<O::Error>> {
        self.inner.presign::<O>(input, presigning)
    }
}

/// An async client of the service `S`: the same calls as
/// [`ServiceClient`], as futures. Dropping a call's future cancels it;
/// nothing keeps running. Clones share the configuration and the retry
/// quota.
pub struct AsyncServiceClient<S> {
    inner: AsyncClient,
    service: PhantomData<fn() -> S>,
}

impl<S> Clone for AsyncServiceClient<S> {
    fn clone(&self) -> Self {
        AsyncServiceClient {
            inner: self.inner.clone(),
            service: PhantomData,
        }
    }
}

impl<S> fmt::Debug for AsyncServiceClient<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncClient")
            .field("inner", &self.inner)
            .finish()
    }
}

impl<S: Service> AsyncServiceClient<S> {
    /// A client configured as the AWS SDKs configure one: region from
    /// `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile or instance metadata;
    /// credentials from the default chain (environment, profile, web
    /// identity, container, instance metadata), cached and refreshed.
    /// See [`Config::from_env`].
    pub fn from_env() -> Result<Self, ConfigError> {
        config_from_env().map(Self::new)
    }

    /// A client with `config`, on the hyper transport and tokio timer of the
    /// `async` feature.
    pub fn new(config: Config) -> Self {
        AsyncServiceClient {
            inner: AsyncClient::new(config, S::INFO),
            service: PhantomData,
        }
    }

    /// A client with `config` on another async HTTP stack and timer.
    pub fn with_transport(
        config: Config,
        transport: impl AsyncHttpTransport + 'static,
        sleep: impl AsyncSleep + 'static,
    ) -> Self {
        AsyncServiceClient {
            inner: AsyncClient::new(config, S::INFO).with_transport(transport, sleep),
            service: PhantomData,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        self.inner.config()
    }

    /// The runtime client underneath (its retry quota, for instance).
    pub fn inner(&self) -> &AsyncClient {
        &self.inner
    }

    /// Calls any operation of the service with per-call options (another
    /// endpoint, a deadline).
    pub async fn call_with<O: Operation>(
        &self,
        input: &O::Input,
        options: &CallOptions,
    ) -> Result<O::Output, SdkError<O::Error>> {
        self.inner.call::<O>(input, options).await
    }

    /// Presigns any operation of the service: a URL (and headers) anyone
    /// holding it can send until it expires. Nothing is sent, so this is
    /// not async (credentials come from the configuration's provider).
    pub fn presign<O: Operation>(
        &self,
        input: &O::Input,
        presigning: &PresigningConfig,
    ) -> Result<PresignedRequest, SdkError<O::Error>> {
        self.inner.presign::<O>(input, presigning)
    }
}
