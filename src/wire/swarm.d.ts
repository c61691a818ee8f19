import type { Codec, DecodeOptions } from 'protons-runtime';
import type { Uint8ArrayList } from 'uint8arraylist';
export interface Chunk {
    version: number;
    payloadId: Uint8Array<ArrayBuffer>;
    index: number;
    count: number;
    payloadLength: number;
    data: Uint8Array<ArrayBuffer>;
}
export declare namespace Chunk {
    const codec: () => Codec<Chunk>;
    interface ChunkVersionFieldEvent {
        field: '$.version';
        value: number;
    }
    interface ChunkPayloadIdFieldEvent {
        field: '$.payloadId';
        value: Uint8Array<ArrayBuffer>;
    }
    interface ChunkIndexFieldEvent {
        field: '$.index';
        value: number;
    }
    interface ChunkCountFieldEvent {
        field: '$.count';
        value: number;
    }
    interface ChunkPayloadLengthFieldEvent {
        field: '$.payloadLength';
        value: number;
    }
    interface ChunkDataFieldEvent {
        field: '$.data';
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<Chunk>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Chunk>): Chunk;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Chunk>): Generator<ChunkVersionFieldEvent | ChunkPayloadIdFieldEvent | ChunkIndexFieldEvent | ChunkCountFieldEvent | ChunkPayloadLengthFieldEvent | ChunkDataFieldEvent>;
}
export interface Message {
    version: number;
    hello?: Hello;
    announce?: Announce;
    offer?: Offer;
    update?: Update;
    global?: Global;
    attest?: Attest;
    secureKeys?: SecureKeys;
    secureShares?: SecureShares;
    unmaskRequest?: UnmaskRequest;
    unmaskReveal?: UnmaskReveal;
    withdraw?: Withdraw;
    unmaskConsent?: UnmaskConsent;
}
export declare namespace Message {
    const codec: () => Codec<Message>;
    interface MessageVersionFieldEvent {
        field: '$.version';
        value: number;
    }
    interface MessageHelloMultiaddrsFieldEvent {
        field: '$.hello.multiaddrs[]';
        index: number;
        value: string;
    }
    interface MessageHelloRoundFieldEvent {
        field: '$.hello.round';
        value: number;
    }
    interface MessageHelloModelHashFieldEvent {
        field: '$.hello.modelHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface MessageHelloNameFieldEvent {
        field: '$.hello.name';
        value: string;
    }
    interface MessageAnnounceRoundFieldEvent {
        field: '$.announce.round';
        value: number;
    }
    interface MessageAnnounceBaseHashFieldEvent {
        field: '$.announce.baseHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface MessageAnnounceRosterFieldEvent {
        field: '$.announce.roster[]';
        index: number;
        value: string;
    }
    interface MessageAnnounceSealedFieldEvent {
        field: '$.announce.sealed';
        value: boolean;
    }
    interface MessageOfferRoundFieldEvent {
        field: '$.offer.round';
        value: number;
    }
    interface MessageOfferBaseHashFieldEvent {
        field: '$.offer.baseHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface MessageOfferSamplesFieldEvent {
        field: '$.offer.samples';
        value: number;
    }
    interface MessageOfferBytesFieldEvent {
        field: '$.offer.bytes';
        value: number;
    }
    interface MessageOfferUpdateHashFieldEvent {
        field: '$.offer.updateHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface MessageOfferMaskedWithFieldEvent {
        field: '$.offer.maskedWith[]';
        index: number;
        value: string;
    }
    interface MessageUpdateRoundFieldEvent {
        field: '$.update.round';
        value: number;
    }
    interface MessageUpdateBaseHashFieldEvent {
        field: '$.update.baseHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface MessageUpdateSamplesFieldEvent {
        field: '$.update.samples';
        value: number;
    }
    interface MessageUpdateChangeShapeFieldEvent {
        field: '$.update.change[].shape[]';
        index: number;
        value: number;
    }
    interface MessageUpdateChangeEncodingFieldEvent {
        field: '$.update.change[].encoding';
        value: Encoding;
        index: number;
    }
    interface MessageUpdateChangeScaleFieldEvent {
        field: '$.update.change[].scale';
        value: number;
        index: number;
    }
    interface MessageUpdateChangeDataFieldEvent {
        field: '$.update.change[].data';
        value: Uint8Array<ArrayBuffer>;
        index: number;
    }
    interface MessageUpdateMaskedFieldEvent {
        field: '$.update.masked';
        value: Uint8Array<ArrayBuffer>;
    }
    interface MessageUpdateMaskedWithFieldEvent {
        field: '$.update.maskedWith[]';
        index: number;
        value: string;
    }
    interface MessageUpdateSaltFieldEvent {
        field: '$.update.salt';
        value: Uint8Array<ArrayBuffer>;
    }
    interface MessageGlobalRoundFieldEvent {
        field: '$.global.round';
        value: number;
    }
    interface MessageGlobalModelHashFieldEvent {
        field: '$.global.modelHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface MessageGlobalContributorsFieldEvent {
        field: '$.global.contributors[]';
        index: number;
        value: string;
    }
    interface MessageGlobalMergerFieldEvent {
        field: '$.global.merger';
        value: string;
    }
    interface MessageGlobalSamplesFieldEvent {
        field: '$.global.samples';
        value: number;
    }
    interface MessageGlobalWeightsShapeFieldEvent {
        field: '$.global.weights[].shape[]';
        index: number;
        value: number;
    }
    interface MessageGlobalWeightsEncodingFieldEvent {
        field: '$.global.weights[].encoding';
        value: Encoding;
        index: number;
    }
    interface MessageGlobalWeightsScaleFieldEvent {
        field: '$.global.weights[].scale';
        value: number;
        index: number;
    }
    interface MessageGlobalWeightsDataFieldEvent {
        field: '$.global.weights[].data';
        value: Uint8Array<ArrayBuffer>;
        index: number;
    }
    interface MessageGlobalDefinitionFieldEvent {
        field: '$.global.definition';
        value: string;
    }
    interface MessageGlobalStateShapeFieldEvent {
        field: '$.global.state[].shape[]';
        index: number;
        value: number;
    }
    interface MessageGlobalStateEncodingFieldEvent {
        field: '$.global.state[].encoding';
        value: Encoding;
        index: number;
    }
    interface MessageGlobalStateScaleFieldEvent {
        field: '$.global.state[].scale';
        value: number;
        index: number;
    }
    interface MessageGlobalStateDataFieldEvent {
        field: '$.global.state[].data';
        value: Uint8Array<ArrayBuffer>;
        index: number;
    }
    interface MessageGlobalUpdateHashesFieldEvent {
        field: '$.global.updateHashes[]';
        index: number;
        value: Uint8Array<ArrayBuffer>;
    }
    interface MessageAttestRoundFieldEvent {
        field: '$.attest.round';
        value: number;
    }
    interface MessageAttestModelHashFieldEvent {
        field: '$.attest.modelHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface MessageAttestMergerFieldEvent {
        field: '$.attest.merger';
        value: string;
    }
    interface MessageAttestComputedHashFieldEvent {
        field: '$.attest.computedHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface MessageSecureKeysRoundFieldEvent {
        field: '$.secureKeys.round';
        value: number;
    }
    interface MessageSecureKeysBaseHashFieldEvent {
        field: '$.secureKeys.baseHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface MessageSecureKeysChannelKeyFieldEvent {
        field: '$.secureKeys.channelKey';
        value: Uint8Array<ArrayBuffer>;
    }
    interface MessageSecureKeysMaskKeyFieldEvent {
        field: '$.secureKeys.maskKey';
        value: Uint8Array<ArrayBuffer>;
    }
    interface MessageSecureSharesRoundFieldEvent {
        field: '$.secureShares.round';
        value: number;
    }
    interface MessageSecureSharesBaseHashFieldEvent {
        field: '$.secureShares.baseHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface MessageSecureSharesThresholdFieldEvent {
        field: '$.secureShares.threshold';
        value: number;
    }
    interface MessageSecureSharesSelfMaskCommitmentFieldEvent {
        field: '$.secureShares.selfMaskCommitment';
        value: Uint8Array<ArrayBuffer>;
    }
    interface MessageSecureSharesSharesToFieldEvent {
        field: '$.secureShares.shares[].to';
        value: string;
        index: number;
    }
    interface MessageSecureSharesSharesNonceFieldEvent {
        field: '$.secureShares.shares[].nonce';
        value: Uint8Array<ArrayBuffer>;
        index: number;
    }
    interface MessageSecureSharesSharesCiphertextFieldEvent {
        field: '$.secureShares.shares[].ciphertext';
        value: Uint8Array<ArrayBuffer>;
        index: number;
    }
    interface MessageUnmaskRequestRoundFieldEvent {
        field: '$.unmaskRequest.round';
        value: number;
    }
    interface MessageUnmaskRequestBaseHashFieldEvent {
        field: '$.unmaskRequest.baseHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface MessageUnmaskRequestSurvivorsFieldEvent {
        field: '$.unmaskRequest.survivors[]';
        index: number;
        value: string;
    }
    interface MessageUnmaskRequestDroppedFieldEvent {
        field: '$.unmaskRequest.dropped[]';
        index: number;
        value: string;
    }
    interface MessageUnmaskRequestSurvivorMasksPeersFieldEvent {
        field: '$.unmaskRequest.survivorMasks[].peers[]';
        index: number;
        value: string;
    }
    interface MessageUnmaskRevealRoundFieldEvent {
        field: '$.unmaskReveal.round';
        value: number;
    }
    interface MessageUnmaskRevealBaseHashFieldEvent {
        field: '$.unmaskReveal.baseHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface MessageUnmaskRevealSetHashFieldEvent {
        field: '$.unmaskReveal.setHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface MessageUnmaskRevealSealedToFieldEvent {
        field: '$.unmaskReveal.sealed[].to';
        value: string;
        index: number;
    }
    interface MessageUnmaskRevealSealedNonceFieldEvent {
        field: '$.unmaskReveal.sealed[].nonce';
        value: Uint8Array<ArrayBuffer>;
        index: number;
    }
    interface MessageUnmaskRevealSealedCiphertextFieldEvent {
        field: '$.unmaskReveal.sealed[].ciphertext';
        value: Uint8Array<ArrayBuffer>;
        index: number;
    }
    interface MessageWithdrawRoundFieldEvent {
        field: '$.withdraw.round';
        value: number;
    }
    interface MessageWithdrawBaseHashFieldEvent {
        field: '$.withdraw.baseHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface MessageUnmaskConsentRoundFieldEvent {
        field: '$.unmaskConsent.round';
        value: number;
    }
    interface MessageUnmaskConsentBaseHashFieldEvent {
        field: '$.unmaskConsent.baseHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface MessageUnmaskConsentSetHashFieldEvent {
        field: '$.unmaskConsent.setHash';
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<Message>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Message>): Message;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Message>): Generator<MessageVersionFieldEvent | MessageHelloMultiaddrsFieldEvent | MessageHelloRoundFieldEvent | MessageHelloModelHashFieldEvent | MessageHelloNameFieldEvent | MessageAnnounceRoundFieldEvent | MessageAnnounceBaseHashFieldEvent | MessageAnnounceRosterFieldEvent | MessageAnnounceSealedFieldEvent | MessageOfferRoundFieldEvent | MessageOfferBaseHashFieldEvent | MessageOfferSamplesFieldEvent | MessageOfferBytesFieldEvent | MessageOfferUpdateHashFieldEvent | MessageOfferMaskedWithFieldEvent | MessageUpdateRoundFieldEvent | MessageUpdateBaseHashFieldEvent | MessageUpdateSamplesFieldEvent | MessageUpdateChangeShapeFieldEvent | MessageUpdateChangeEncodingFieldEvent | MessageUpdateChangeScaleFieldEvent | MessageUpdateChangeDataFieldEvent | MessageUpdateMaskedFieldEvent | MessageUpdateMaskedWithFieldEvent | MessageUpdateSaltFieldEvent | MessageGlobalRoundFieldEvent | MessageGlobalModelHashFieldEvent | MessageGlobalContributorsFieldEvent | MessageGlobalMergerFieldEvent | MessageGlobalSamplesFieldEvent | MessageGlobalWeightsShapeFieldEvent | MessageGlobalWeightsEncodingFieldEvent | MessageGlobalWeightsScaleFieldEvent | MessageGlobalWeightsDataFieldEvent | MessageGlobalDefinitionFieldEvent | MessageGlobalStateShapeFieldEvent | MessageGlobalStateEncodingFieldEvent | MessageGlobalStateScaleFieldEvent | MessageGlobalStateDataFieldEvent | MessageGlobalUpdateHashesFieldEvent | MessageAttestRoundFieldEvent | MessageAttestModelHashFieldEvent | MessageAttestMergerFieldEvent | MessageAttestComputedHashFieldEvent | MessageSecureKeysRoundFieldEvent | MessageSecureKeysBaseHashFieldEvent | MessageSecureKeysChannelKeyFieldEvent | MessageSecureKeysMaskKeyFieldEvent | MessageSecureSharesRoundFieldEvent | MessageSecureSharesBaseHashFieldEvent | MessageSecureSharesThresholdFieldEvent | MessageSecureSharesSelfMaskCommitmentFieldEvent | MessageSecureSharesSharesToFieldEvent | MessageSecureSharesSharesNonceFieldEvent | MessageSecureSharesSharesCiphertextFieldEvent | MessageUnmaskRequestRoundFieldEvent | MessageUnmaskRequestBaseHashFieldEvent | MessageUnmaskRequestSurvivorsFieldEvent | MessageUnmaskRequestDroppedFieldEvent | MessageUnmaskRequestSurvivorMasksPeersFieldEvent | MessageUnmaskRevealRoundFieldEvent | MessageUnmaskRevealBaseHashFieldEvent | MessageUnmaskRevealSetHashFieldEvent | MessageUnmaskRevealSealedToFieldEvent | MessageUnmaskRevealSealedNonceFieldEvent | MessageUnmaskRevealSealedCiphertextFieldEvent | MessageWithdrawRoundFieldEvent | MessageWithdrawBaseHashFieldEvent | MessageUnmaskConsentRoundFieldEvent | MessageUnmaskConsentBaseHashFieldEvent | MessageUnmaskConsentSetHashFieldEvent>;
}
export interface Hello {
    multiaddrs: string[];
    round: number;
    modelHash: Uint8Array<ArrayBuffer>;
    name?: string;
}
export declare namespace Hello {
    const codec: () => Codec<Hello>;
    interface HelloMultiaddrsFieldEvent {
        field: '$.multiaddrs[]';
        index: number;
        value: string;
    }
    interface HelloRoundFieldEvent {
        field: '$.round';
        value: number;
    }
    interface HelloModelHashFieldEvent {
        field: '$.modelHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface HelloNameFieldEvent {
        field: '$.name';
        value: string;
    }
    function encode(obj: Partial<Hello>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Hello>): Hello;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Hello>): Generator<HelloMultiaddrsFieldEvent | HelloRoundFieldEvent | HelloModelHashFieldEvent | HelloNameFieldEvent>;
}
export interface Announce {
    round: number;
    baseHash: Uint8Array<ArrayBuffer>;
    roster: string[];
    sealed: boolean;
}
export declare namespace Announce {
    const codec: () => Codec<Announce>;
    interface AnnounceRoundFieldEvent {
        field: '$.round';
        value: number;
    }
    interface AnnounceBaseHashFieldEvent {
        field: '$.baseHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface AnnounceRosterFieldEvent {
        field: '$.roster[]';
        index: number;
        value: string;
    }
    interface AnnounceSealedFieldEvent {
        field: '$.sealed';
        value: boolean;
    }
    function encode(obj: Partial<Announce>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Announce>): Announce;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Announce>): Generator<AnnounceRoundFieldEvent | AnnounceBaseHashFieldEvent | AnnounceRosterFieldEvent | AnnounceSealedFieldEvent>;
}
export interface Offer {
    round: number;
    baseHash: Uint8Array<ArrayBuffer>;
    samples: number;
    bytes: number;
    updateHash: Uint8Array<ArrayBuffer>;
    maskedWith: string[];
}
export declare namespace Offer {
    const codec: () => Codec<Offer>;
    interface OfferRoundFieldEvent {
        field: '$.round';
        value: number;
    }
    interface OfferBaseHashFieldEvent {
        field: '$.baseHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface OfferSamplesFieldEvent {
        field: '$.samples';
        value: number;
    }
    interface OfferBytesFieldEvent {
        field: '$.bytes';
        value: number;
    }
    interface OfferUpdateHashFieldEvent {
        field: '$.updateHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface OfferMaskedWithFieldEvent {
        field: '$.maskedWith[]';
        index: number;
        value: string;
    }
    function encode(obj: Partial<Offer>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Offer>): Offer;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Offer>): Generator<OfferRoundFieldEvent | OfferBaseHashFieldEvent | OfferSamplesFieldEvent | OfferBytesFieldEvent | OfferUpdateHashFieldEvent | OfferMaskedWithFieldEvent>;
}
export interface Update {
    round: number;
    baseHash: Uint8Array<ArrayBuffer>;
    samples: number;
    change: Tensor[];
    masked: Uint8Array<ArrayBuffer>;
    maskedWith: string[];
    salt: Uint8Array<ArrayBuffer>;
}
export declare namespace Update {
    const codec: () => Codec<Update>;
    interface UpdateRoundFieldEvent {
        field: '$.round';
        value: number;
    }
    interface UpdateBaseHashFieldEvent {
        field: '$.baseHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface UpdateSamplesFieldEvent {
        field: '$.samples';
        value: number;
    }
    interface UpdateChangeShapeFieldEvent {
        field: '$.change[].shape[]';
        index: number;
        value: number;
    }
    interface UpdateChangeEncodingFieldEvent {
        field: '$.change[].encoding';
        value: Encoding;
        index: number;
    }
    interface UpdateChangeScaleFieldEvent {
        field: '$.change[].scale';
        value: number;
        index: number;
    }
    interface UpdateChangeDataFieldEvent {
        field: '$.change[].data';
        value: Uint8Array<ArrayBuffer>;
        index: number;
    }
    interface UpdateMaskedFieldEvent {
        field: '$.masked';
        value: Uint8Array<ArrayBuffer>;
    }
    interface UpdateMaskedWithFieldEvent {
        field: '$.maskedWith[]';
        index: number;
        value: string;
    }
    interface UpdateSaltFieldEvent {
        field: '$.salt';
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<Update>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Update>): Update;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Update>): Generator<UpdateRoundFieldEvent | UpdateBaseHashFieldEvent | UpdateSamplesFieldEvent | UpdateChangeShapeFieldEvent | UpdateChangeEncodingFieldEvent | UpdateChangeScaleFieldEvent | UpdateChangeDataFieldEvent | UpdateMaskedFieldEvent | UpdateMaskedWithFieldEvent | UpdateSaltFieldEvent>;
}
export interface Global {
    round: number;
    modelHash: Uint8Array<ArrayBuffer>;
    contributors: string[];
    merger: string;
    samples: number;
    weights: Tensor[];
    definition: string;
    state: Tensor[];
    updateHashes: Uint8Array<ArrayBuffer>[];
}
export declare namespace Global {
    const codec: () => Codec<Global>;
    interface GlobalRoundFieldEvent {
        field: '$.round';
        value: number;
    }
    interface GlobalModelHashFieldEvent {
        field: '$.modelHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface GlobalContributorsFieldEvent {
        field: '$.contributors[]';
        index: number;
        value: string;
    }
    interface GlobalMergerFieldEvent {
        field: '$.merger';
        value: string;
    }
    interface GlobalSamplesFieldEvent {
        field: '$.samples';
        value: number;
    }
    interface GlobalWeightsShapeFieldEvent {
        field: '$.weights[].shape[]';
        index: number;
        value: number;
    }
    interface GlobalWeightsEncodingFieldEvent {
        field: '$.weights[].encoding';
        value: Encoding;
        index: number;
    }
    interface GlobalWeightsScaleFieldEvent {
        field: '$.weights[].scale';
        value: number;
        index: number;
    }
    interface GlobalWeightsDataFieldEvent {
        field: '$.weights[].data';
        value: Uint8Array<ArrayBuffer>;
        index: number;
    }
    interface GlobalDefinitionFieldEvent {
        field: '$.definition';
        value: string;
    }
    interface GlobalStateShapeFieldEvent {
        field: '$.state[].shape[]';
        index: number;
        value: number;
    }
    interface GlobalStateEncodingFieldEvent {
        field: '$.state[].encoding';
        value: Encoding;
        index: number;
    }
    interface GlobalStateScaleFieldEvent {
        field: '$.state[].scale';
        value: number;
        index: number;
    }
    interface GlobalStateDataFieldEvent {
        field: '$.state[].data';
        value: Uint8Array<ArrayBuffer>;
        index: number;
    }
    interface GlobalUpdateHashesFieldEvent {
        field: '$.updateHashes[]';
        index: number;
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<Global>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Global>): Global;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Global>): Generator<GlobalRoundFieldEvent | GlobalModelHashFieldEvent | GlobalContributorsFieldEvent | GlobalMergerFieldEvent | GlobalSamplesFieldEvent | GlobalWeightsShapeFieldEvent | GlobalWeightsEncodingFieldEvent | GlobalWeightsScaleFieldEvent | GlobalWeightsDataFieldEvent | GlobalDefinitionFieldEvent | GlobalStateShapeFieldEvent | GlobalStateEncodingFieldEvent | GlobalStateScaleFieldEvent | GlobalStateDataFieldEvent | GlobalUpdateHashesFieldEvent>;
}
export interface Withdraw {
    round: number;
    baseHash: Uint8Array<ArrayBuffer>;
}
export declare namespace Withdraw {
    const codec: () => Codec<Withdraw>;
    interface WithdrawRoundFieldEvent {
        field: '$.round';
        value: number;
    }
    interface WithdrawBaseHashFieldEvent {
        field: '$.baseHash';
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<Withdraw>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Withdraw>): Withdraw;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Withdraw>): Generator<WithdrawRoundFieldEvent | WithdrawBaseHashFieldEvent>;
}
export interface Attest {
    round: number;
    modelHash: Uint8Array<ArrayBuffer>;
    merger: string;
    computedHash: Uint8Array<ArrayBuffer>;
}
export declare namespace Attest {
    const codec: () => Codec<Attest>;
    interface AttestRoundFieldEvent {
        field: '$.round';
        value: number;
    }
    interface AttestModelHashFieldEvent {
        field: '$.modelHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface AttestMergerFieldEvent {
        field: '$.merger';
        value: string;
    }
    interface AttestComputedHashFieldEvent {
        field: '$.computedHash';
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<Attest>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Attest>): Attest;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Attest>): Generator<AttestRoundFieldEvent | AttestModelHashFieldEvent | AttestMergerFieldEvent | AttestComputedHashFieldEvent>;
}
export interface SecureKeys {
    round: number;
    baseHash: Uint8Array<ArrayBuffer>;
    channelKey: Uint8Array<ArrayBuffer>;
    maskKey: Uint8Array<ArrayBuffer>;
}
export declare namespace SecureKeys {
    const codec: () => Codec<SecureKeys>;
    interface SecureKeysRoundFieldEvent {
        field: '$.round';
        value: number;
    }
    interface SecureKeysBaseHashFieldEvent {
        field: '$.baseHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface SecureKeysChannelKeyFieldEvent {
        field: '$.channelKey';
        value: Uint8Array<ArrayBuffer>;
    }
    interface SecureKeysMaskKeyFieldEvent {
        field: '$.maskKey';
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<SecureKeys>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SecureKeys>): SecureKeys;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SecureKeys>): Generator<SecureKeysRoundFieldEvent | SecureKeysBaseHashFieldEvent | SecureKeysChannelKeyFieldEvent | SecureKeysMaskKeyFieldEvent>;
}
export interface SecureShares {
    round: number;
    baseHash: Uint8Array<ArrayBuffer>;
    threshold: number;
    selfMaskCommitment: Uint8Array<ArrayBuffer>;
    shares: EncryptedShare[];
}
export declare namespace SecureShares {
    const codec: () => Codec<SecureShares>;
    interface SecureSharesRoundFieldEvent {
        field: '$.round';
        value: number;
    }
    interface SecureSharesBaseHashFieldEvent {
        field: '$.baseHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface SecureSharesThresholdFieldEvent {
        field: '$.threshold';
        value: number;
    }
    interface SecureSharesSelfMaskCommitmentFieldEvent {
        field: '$.selfMaskCommitment';
        value: Uint8Array<ArrayBuffer>;
    }
    interface SecureSharesSharesToFieldEvent {
        field: '$.shares[].to';
        value: string;
        index: number;
    }
    interface SecureSharesSharesNonceFieldEvent {
        field: '$.shares[].nonce';
        value: Uint8Array<ArrayBuffer>;
        index: number;
    }
    interface SecureSharesSharesCiphertextFieldEvent {
        field: '$.shares[].ciphertext';
        value: Uint8Array<ArrayBuffer>;
        index: number;
    }
    function encode(obj: Partial<SecureShares>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SecureShares>): SecureShares;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SecureShares>): Generator<SecureSharesRoundFieldEvent | SecureSharesBaseHashFieldEvent | SecureSharesThresholdFieldEvent | SecureSharesSelfMaskCommitmentFieldEvent | SecureSharesSharesToFieldEvent | SecureSharesSharesNonceFieldEvent | SecureSharesSharesCiphertextFieldEvent>;
}
export interface EncryptedShare {
    to: string;
    nonce: Uint8Array<ArrayBuffer>;
    ciphertext: Uint8Array<ArrayBuffer>;
}
export declare namespace EncryptedShare {
    const codec: () => Codec<EncryptedShare>;
    interface EncryptedShareToFieldEvent {
        field: '$.to';
        value: string;
    }
    interface EncryptedShareNonceFieldEvent {
        field: '$.nonce';
        value: Uint8Array<ArrayBuffer>;
    }
    interface EncryptedShareCiphertextFieldEvent {
        field: '$.ciphertext';
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<EncryptedShare>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EncryptedShare>): EncryptedShare;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EncryptedShare>): Generator<EncryptedShareToFieldEvent | EncryptedShareNonceFieldEvent | EncryptedShareCiphertextFieldEvent>;
}
export interface UnmaskRequest {
    round: number;
    baseHash: Uint8Array<ArrayBuffer>;
    survivors: string[];
    dropped: string[];
    survivorMasks: MaskedWith[];
}
export declare namespace UnmaskRequest {
    const codec: () => Codec<UnmaskRequest>;
    interface UnmaskRequestRoundFieldEvent {
        field: '$.round';
        value: number;
    }
    interface UnmaskRequestBaseHashFieldEvent {
        field: '$.baseHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface UnmaskRequestSurvivorsFieldEvent {
        field: '$.survivors[]';
        index: number;
        value: string;
    }
    interface UnmaskRequestDroppedFieldEvent {
        field: '$.dropped[]';
        index: number;
        value: string;
    }
    interface UnmaskRequestSurvivorMasksPeersFieldEvent {
        field: '$.survivorMasks[].peers[]';
        index: number;
        value: string;
    }
    function encode(obj: Partial<UnmaskRequest>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<UnmaskRequest>): UnmaskRequest;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<UnmaskRequest>): Generator<UnmaskRequestRoundFieldEvent | UnmaskRequestBaseHashFieldEvent | UnmaskRequestSurvivorsFieldEvent | UnmaskRequestDroppedFieldEvent | UnmaskRequestSurvivorMasksPeersFieldEvent>;
}
export interface MaskedWith {
    peers: string[];
}
export declare namespace MaskedWith {
    const codec: () => Codec<MaskedWith>;
    interface MaskedWithPeersFieldEvent {
        field: '$.peers[]';
        index: number;
        value: string;
    }
    function encode(obj: Partial<MaskedWith>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MaskedWith>): MaskedWith;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MaskedWith>): Generator<MaskedWithPeersFieldEvent>;
}
export interface UnmaskConsent {
    round: number;
    baseHash: Uint8Array<ArrayBuffer>;
    setHash: Uint8Array<ArrayBuffer>;
}
export declare namespace UnmaskConsent {
    const codec: () => Codec<UnmaskConsent>;
    interface UnmaskConsentRoundFieldEvent {
        field: '$.round';
        value: number;
    }
    interface UnmaskConsentBaseHashFieldEvent {
        field: '$.baseHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface UnmaskConsentSetHashFieldEvent {
        field: '$.setHash';
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<UnmaskConsent>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<UnmaskConsent>): UnmaskConsent;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<UnmaskConsent>): Generator<UnmaskConsentRoundFieldEvent | UnmaskConsentBaseHashFieldEvent | UnmaskConsentSetHashFieldEvent>;
}
export interface UnmaskReveal {
    round: number;
    baseHash: Uint8Array<ArrayBuffer>;
    setHash: Uint8Array<ArrayBuffer>;
    sealed: EncryptedShare[];
}
export declare namespace UnmaskReveal {
    const codec: () => Codec<UnmaskReveal>;
    interface UnmaskRevealRoundFieldEvent {
        field: '$.round';
        value: number;
    }
    interface UnmaskRevealBaseHashFieldEvent {
        field: '$.baseHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface UnmaskRevealSetHashFieldEvent {
        field: '$.setHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface UnmaskRevealSealedToFieldEvent {
        field: '$.sealed[].to';
        value: string;
        index: number;
    }
    interface UnmaskRevealSealedNonceFieldEvent {
        field: '$.sealed[].nonce';
        value: Uint8Array<ArrayBuffer>;
        index: number;
    }
    interface UnmaskRevealSealedCiphertextFieldEvent {
        field: '$.sealed[].ciphertext';
        value: Uint8Array<ArrayBuffer>;
        index: number;
    }
    function encode(obj: Partial<UnmaskReveal>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<UnmaskReveal>): UnmaskReveal;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<UnmaskReveal>): Generator<UnmaskRevealRoundFieldEvent | UnmaskRevealBaseHashFieldEvent | UnmaskRevealSetHashFieldEvent | UnmaskRevealSealedToFieldEvent | UnmaskRevealSealedNonceFieldEvent | UnmaskRevealSealedCiphertextFieldEvent>;
}
export interface RevealedShares {
    selfMasks: RevealedShare[];
    maskKeys: RevealedShare[];
}
export declare namespace RevealedShares {
    const codec: () => Codec<RevealedShares>;
    interface RevealedSharesSelfMasksOwnerFieldEvent {
        field: '$.selfMasks[].owner';
        value: string;
        index: number;
    }
    interface RevealedSharesSelfMasksShareFieldEvent {
        field: '$.selfMasks[].share';
        value: Uint8Array<ArrayBuffer>;
        index: number;
    }
    interface RevealedSharesMaskKeysOwnerFieldEvent {
        field: '$.maskKeys[].owner';
        value: string;
        index: number;
    }
    interface RevealedSharesMaskKeysShareFieldEvent {
        field: '$.maskKeys[].share';
        value: Uint8Array<ArrayBuffer>;
        index: number;
    }
    function encode(obj: Partial<RevealedShares>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RevealedShares>): RevealedShares;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RevealedShares>): Generator<RevealedSharesSelfMasksOwnerFieldEvent | RevealedSharesSelfMasksShareFieldEvent | RevealedSharesMaskKeysOwnerFieldEvent | RevealedSharesMaskKeysShareFieldEvent>;
}
export interface RevealedShare {
    owner: string;
    share: Uint8Array<ArrayBuffer>;
}
export declare namespace RevealedShare {
    const codec: () => Codec<RevealedShare>;
    interface RevealedShareOwnerFieldEvent {
        field: '$.owner';
        value: string;
    }
    interface RevealedShareShareFieldEvent {
        field: '$.share';
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<RevealedShare>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RevealedShare>): RevealedShare;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RevealedShare>): Generator<RevealedShareOwnerFieldEvent | RevealedShareShareFieldEvent>;
}
export declare enum Encoding {
    FLOAT32 = "FLOAT32",
    FLOAT16 = "FLOAT16",
    INT8 = "INT8"
}
export declare namespace Encoding {
    const codec: () => Codec<Encoding>;
}
export interface Tensor {
    shape: number[];
    encoding: Encoding;
    scale: number;
    data: Uint8Array<ArrayBuffer>;
}
export declare namespace Tensor {
    const codec: () => Codec<Tensor>;
    interface TensorShapeFieldEvent {
        field: '$.shape[]';
        index: number;
        value: number;
    }
    interface TensorEncodingFieldEvent {
        field: '$.encoding';
        value: Encoding;
    }
    interface TensorScaleFieldEvent {
        field: '$.scale';
        value: number;
    }
    interface TensorDataFieldEvent {
        field: '$.data';
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<Tensor>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Tensor>): Tensor;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Tensor>): Generator<TensorShapeFieldEvent | TensorEncodingFieldEvent | TensorScaleFieldEvent | TensorDataFieldEvent>;
}
export interface UpdateRequest {
    round: number;
    baseHash: Uint8Array<ArrayBuffer>;
    owner?: string;
}
export declare namespace UpdateRequest {
    const codec: () => Codec<UpdateRequest>;
    interface UpdateRequestRoundFieldEvent {
        field: '$.round';
        value: number;
    }
    interface UpdateRequestBaseHashFieldEvent {
        field: '$.baseHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface UpdateRequestOwnerFieldEvent {
        field: '$.owner';
        value: string;
    }
    function encode(obj: Partial<UpdateRequest>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<UpdateRequest>): UpdateRequest;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<UpdateRequest>): Generator<UpdateRequestRoundFieldEvent | UpdateRequestBaseHashFieldEvent | UpdateRequestOwnerFieldEvent>;
}
export interface GlobalRequest {
}
export declare namespace GlobalRequest {
    const codec: () => Codec<GlobalRequest>;
    function encode(obj: Partial<GlobalRequest>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GlobalRequest>): GlobalRequest;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GlobalRequest>): Generator<{}>;
}
export interface MemberListRequest {
}
export declare namespace MemberListRequest {
    const codec: () => Codec<MemberListRequest>;
    function encode(obj: Partial<MemberListRequest>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MemberListRequest>): MemberListRequest;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MemberListRequest>): Generator<{}>;
}
export interface MemberList {
    members: Member[];
    globalRound: number;
    held?: Offer;
    name?: string;
    globalHash: Uint8Array<ArrayBuffer>;
}
export declare namespace MemberList {
    const codec: () => Codec<MemberList>;
    interface MemberListMembersPeerIdFieldEvent {
        field: '$.members[].peerId';
        value: string;
        index: number;
    }
    interface MemberListMembersMultiaddrsFieldEvent {
        field: '$.members[].multiaddrs[]';
        index: number;
        value: string;
    }
    interface MemberListGlobalRoundFieldEvent {
        field: '$.globalRound';
        value: number;
    }
    interface MemberListHeldRoundFieldEvent {
        field: '$.held.round';
        value: number;
    }
    interface MemberListHeldBaseHashFieldEvent {
        field: '$.held.baseHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface MemberListHeldSamplesFieldEvent {
        field: '$.held.samples';
        value: number;
    }
    interface MemberListHeldBytesFieldEvent {
        field: '$.held.bytes';
        value: number;
    }
    interface MemberListHeldUpdateHashFieldEvent {
        field: '$.held.updateHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface MemberListHeldMaskedWithFieldEvent {
        field: '$.held.maskedWith[]';
        index: number;
        value: string;
    }
    interface MemberListNameFieldEvent {
        field: '$.name';
        value: string;
    }
    interface MemberListGlobalHashFieldEvent {
        field: '$.globalHash';
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<MemberList>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MemberList>): MemberList;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MemberList>): Generator<MemberListMembersPeerIdFieldEvent | MemberListMembersMultiaddrsFieldEvent | MemberListGlobalRoundFieldEvent | MemberListHeldRoundFieldEvent | MemberListHeldBaseHashFieldEvent | MemberListHeldSamplesFieldEvent | MemberListHeldBytesFieldEvent | MemberListHeldUpdateHashFieldEvent | MemberListHeldMaskedWithFieldEvent | MemberListNameFieldEvent | MemberListGlobalHashFieldEvent>;
}
export interface Member {
    peerId: string;
    multiaddrs: string[];
}
export declare namespace Member {
    const codec: () => Codec<Member>;
    interface MemberPeerIdFieldEvent {
        field: '$.peerId';
        value: string;
    }
    interface MemberMultiaddrsFieldEvent {
        field: '$.multiaddrs[]';
        index: number;
        value: string;
    }
    function encode(obj: Partial<Member>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Member>): Member;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Member>): Generator<MemberPeerIdFieldEvent | MemberMultiaddrsFieldEvent>;
}
