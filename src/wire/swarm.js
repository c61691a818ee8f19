/* eslint-disable require-yield */
import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime';
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc';
export var Chunk;
(function (Chunk) {
    let _codec;
    Chunk.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.version != null && obj.version !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.version);
                }
                if ((obj.payloadId != null && obj.payloadId.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.payloadId);
                }
                if ((obj.index != null && obj.index !== 0)) {
                    w.uint32(24);
                    w.uint32(obj.index);
                }
                if ((obj.count != null && obj.count !== 0)) {
                    w.uint32(32);
                    w.uint32(obj.count);
                }
                if ((obj.payloadLength != null && obj.payloadLength !== 0)) {
                    w.uint32(40);
                    w.uint32(obj.payloadLength);
                }
                if ((obj.data != null && obj.data.byteLength > 0)) {
                    w.uint32(50);
                    w.bytes(obj.data);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    version: 0,
                    payloadId: uint8ArrayAlloc(0),
                    index: 0,
                    count: 0,
                    payloadLength: 0,
                    data: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.version = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.payloadId = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.index = reader.uint32();
                            break;
                        }
                        case 4: {
                            obj.count = reader.uint32();
                            break;
                        }
                        case 5: {
                            obj.payloadLength = reader.uint32();
                            break;
                        }
                        case 6: {
                            obj.data = reader.bytes();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.version`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.payloadId`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.index`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.count`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 5: {
                            yield {
                                field: `${prefix}.payloadLength`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 6: {
                            yield {
                                field: `${prefix}.data`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, Chunk.codec());
    }
    Chunk.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, Chunk.codec(), opts);
    }
    Chunk.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, Chunk.codec(), opts);
    }
    Chunk.stream = stream;
})(Chunk || (Chunk = {}));
export var Message;
(function (Message) {
    let _codec;
    Message.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                obj = { ...obj };
                if (obj.unmaskConsent != null) {
                    obj.withdraw = undefined;
                    obj.unmaskReveal = undefined;
                    obj.unmaskRequest = undefined;
                    obj.secureShares = undefined;
                    obj.secureKeys = undefined;
                    obj.attest = undefined;
                    obj.global = undefined;
                    obj.update = undefined;
                    obj.offer = undefined;
                    obj.announce = undefined;
                    obj.hello = undefined;
                }
                if (obj.withdraw != null) {
                    obj.unmaskConsent = undefined;
                    obj.unmaskReveal = undefined;
                    obj.unmaskRequest = undefined;
                    obj.secureShares = undefined;
                    obj.secureKeys = undefined;
                    obj.attest = undefined;
                    obj.global = undefined;
                    obj.update = undefined;
                    obj.offer = undefined;
                    obj.announce = undefined;
                    obj.hello = undefined;
                }
                if (obj.unmaskReveal != null) {
                    obj.unmaskConsent = undefined;
                    obj.withdraw = undefined;
                    obj.unmaskRequest = undefined;
                    obj.secureShares = undefined;
                    obj.secureKeys = undefined;
                    obj.attest = undefined;
                    obj.global = undefined;
                    obj.update = undefined;
                    obj.offer = undefined;
                    obj.announce = undefined;
                    obj.hello = undefined;
                }
                if (obj.unmaskRequest != null) {
                    obj.unmaskConsent = undefined;
                    obj.withdraw = undefined;
                    obj.unmaskReveal = undefined;
                    obj.secureShares = undefined;
                    obj.secureKeys = undefined;
                    obj.attest = undefined;
                    obj.global = undefined;
                    obj.update = undefined;
                    obj.offer = undefined;
                    obj.announce = undefined;
                    obj.hello = undefined;
                }
                if (obj.secureShares != null) {
                    obj.unmaskConsent = undefined;
                    obj.withdraw = undefined;
                    obj.unmaskReveal = undefined;
                    obj.unmaskRequest = undefined;
                    obj.secureKeys = undefined;
                    obj.attest = undefined;
                    obj.global = undefined;
                    obj.update = undefined;
                    obj.offer = undefined;
                    obj.announce = undefined;
                    obj.hello = undefined;
                }
                if (obj.secureKeys != null) {
                    obj.unmaskConsent = undefined;
                    obj.withdraw = undefined;
                    obj.unmaskReveal = undefined;
                    obj.unmaskRequest = undefined;
                    obj.secureShares = undefined;
                    obj.attest = undefined;
                    obj.global = undefined;
                    obj.update = undefined;
                    obj.offer = undefined;
                    obj.announce = undefined;
                    obj.hello = undefined;
                }
                if (obj.attest != null) {
                    obj.unmaskConsent = undefined;
                    obj.withdraw = undefined;
                    obj.unmaskReveal = undefined;
                    obj.unmaskRequest = undefined;
                    obj.secureShares = undefined;
                    obj.secureKeys = undefined;
                    obj.global = undefined;
                    obj.update = undefined;
                    obj.offer = undefined;
                    obj.announce = undefined;
                    obj.hello = undefined;
                }
                if (obj.global != null) {
                    obj.unmaskConsent = undefined;
                    obj.withdraw = undefined;
                    obj.unmaskReveal = undefined;
                    obj.unmaskRequest = undefined;
                    obj.secureShares = undefined;
                    obj.secureKeys = undefined;
                    obj.attest = undefined;
                    obj.update = undefined;
                    obj.offer = undefined;
                    obj.announce = undefined;
                    obj.hello = undefined;
                }
                if (obj.update != null) {
                    obj.unmaskConsent = undefined;
                    obj.withdraw = undefined;
                    obj.unmaskReveal = undefined;
                    obj.unmaskRequest = undefined;
                    obj.secureShares = undefined;
                    obj.secureKeys = undefined;
                    obj.attest = undefined;
                    obj.global = undefined;
                    obj.offer = undefined;
                    obj.announce = undefined;
                    obj.hello = undefined;
                }
                if (obj.offer != null) {
                    obj.unmaskConsent = undefined;
                    obj.withdraw = undefined;
                    obj.unmaskReveal = undefined;
                    obj.unmaskRequest = undefined;
                    obj.secureShares = undefined;
                    obj.secureKeys = undefined;
                    obj.attest = undefined;
                    obj.global = undefined;
                    obj.update = undefined;
                    obj.announce = undefined;
                    obj.hello = undefined;
                }
                if (obj.announce != null) {
                    obj.unmaskConsent = undefined;
                    obj.withdraw = undefined;
                    obj.unmaskReveal = undefined;
                    obj.unmaskRequest = undefined;
                    obj.secureShares = undefined;
                    obj.secureKeys = undefined;
                    obj.attest = undefined;
                    obj.global = undefined;
                    obj.update = undefined;
                    obj.offer = undefined;
                    obj.hello = undefined;
                }
                if (obj.hello != null) {
                    obj.unmaskConsent = undefined;
                    obj.withdraw = undefined;
                    obj.unmaskReveal = undefined;
                    obj.unmaskRequest = undefined;
                    obj.secureShares = undefined;
                    obj.secureKeys = undefined;
                    obj.attest = undefined;
                    obj.global = undefined;
                    obj.update = undefined;
                    obj.offer = undefined;
                    obj.announce = undefined;
                }
                if ((obj.version != null && obj.version !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.version);
                }
                if (obj.hello != null) {
                    w.uint32(18);
                    Hello.codec().encode(obj.hello, w);
                }
                if (obj.announce != null) {
                    w.uint32(26);
                    Announce.codec().encode(obj.announce, w);
                }
                if (obj.offer != null) {
                    w.uint32(34);
                    Offer.codec().encode(obj.offer, w);
                }
                if (obj.update != null) {
                    w.uint32(42);
                    Update.codec().encode(obj.update, w);
                }
                if (obj.global != null) {
                    w.uint32(50);
                    Global.codec().encode(obj.global, w);
                }
                if (obj.attest != null) {
                    w.uint32(58);
                    Attest.codec().encode(obj.attest, w);
                }
                if (obj.secureKeys != null) {
                    w.uint32(66);
                    SecureKeys.codec().encode(obj.secureKeys, w);
                }
                if (obj.secureShares != null) {
                    w.uint32(74);
                    SecureShares.codec().encode(obj.secureShares, w);
                }
                if (obj.unmaskRequest != null) {
                    w.uint32(82);
                    UnmaskRequest.codec().encode(obj.unmaskRequest, w);
                }
                if (obj.unmaskReveal != null) {
                    w.uint32(90);
                    UnmaskReveal.codec().encode(obj.unmaskReveal, w);
                }
                if (obj.withdraw != null) {
                    w.uint32(98);
                    Withdraw.codec().encode(obj.withdraw, w);
                }
                if (obj.unmaskConsent != null) {
                    w.uint32(106);
                    UnmaskConsent.codec().encode(obj.unmaskConsent, w);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    version: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.version = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.hello = Hello.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.hello
                            });
                            break;
                        }
                        case 3: {
                            obj.announce = Announce.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.announce
                            });
                            break;
                        }
                        case 4: {
                            obj.offer = Offer.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.offer
                            });
                            break;
                        }
                        case 5: {
                            obj.update = Update.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.update
                            });
                            break;
                        }
                        case 6: {
                            obj.global = Global.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.global
                            });
                            break;
                        }
                        case 7: {
                            obj.attest = Attest.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.attest
                            });
                            break;
                        }
                        case 8: {
                            obj.secureKeys = SecureKeys.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.secureKeys
                            });
                            break;
                        }
                        case 9: {
                            obj.secureShares = SecureShares.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.secureShares
                            });
                            break;
                        }
                        case 10: {
                            obj.unmaskRequest = UnmaskRequest.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.unmaskRequest
                            });
                            break;
                        }
                        case 11: {
                            obj.unmaskReveal = UnmaskReveal.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.unmaskReveal
                            });
                            break;
                        }
                        case 12: {
                            obj.withdraw = Withdraw.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.withdraw
                            });
                            break;
                        }
                        case 13: {
                            obj.unmaskConsent = UnmaskConsent.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.unmaskConsent
                            });
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                if (obj.unmaskConsent != null) {
                    delete obj.withdraw;
                    delete obj.unmaskReveal;
                    delete obj.unmaskRequest;
                    delete obj.secureShares;
                    delete obj.secureKeys;
                    delete obj.attest;
                    delete obj.global;
                    delete obj.update;
                    delete obj.offer;
                    delete obj.announce;
                    delete obj.hello;
                }
                if (obj.withdraw != null) {
                    delete obj.unmaskConsent;
                    delete obj.unmaskReveal;
                    delete obj.unmaskRequest;
                    delete obj.secureShares;
                    delete obj.secureKeys;
                    delete obj.attest;
                    delete obj.global;
                    delete obj.update;
                    delete obj.offer;
                    delete obj.announce;
                    delete obj.hello;
                }
                if (obj.unmaskReveal != null) {
                    delete obj.unmaskConsent;
                    delete obj.withdraw;
                    delete obj.unmaskRequest;
                    delete obj.secureShares;
                    delete obj.secureKeys;
                    delete obj.attest;
                    delete obj.global;
                    delete obj.update;
                    delete obj.offer;
                    delete obj.announce;
                    delete obj.hello;
                }
                if (obj.unmaskRequest != null) {
                    delete obj.unmaskConsent;
                    delete obj.withdraw;
                    delete obj.unmaskReveal;
                    delete obj.secureShares;
                    delete obj.secureKeys;
                    delete obj.attest;
                    delete obj.global;
                    delete obj.update;
                    delete obj.offer;
                    delete obj.announce;
                    delete obj.hello;
                }
                if (obj.secureShares != null) {
                    delete obj.unmaskConsent;
                    delete obj.withdraw;
                    delete obj.unmaskReveal;
                    delete obj.unmaskRequest;
                    delete obj.secureKeys;
                    delete obj.attest;
                    delete obj.global;
                    delete obj.update;
                    delete obj.offer;
                    delete obj.announce;
                    delete obj.hello;
                }
                if (obj.secureKeys != null) {
                    delete obj.unmaskConsent;
                    delete obj.withdraw;
                    delete obj.unmaskReveal;
                    delete obj.unmaskRequest;
                    delete obj.secureShares;
                    delete obj.attest;
                    delete obj.global;
                    delete obj.update;
                    delete obj.offer;
                    delete obj.announce;
                    delete obj.hello;
                }
                if (obj.attest != null) {
                    delete obj.unmaskConsent;
                    delete obj.withdraw;
                    delete obj.unmaskReveal;
                    delete obj.unmaskRequest;
                    delete obj.secureShares;
                    delete obj.secureKeys;
                    delete obj.global;
                    delete obj.update;
                    delete obj.offer;
                    delete obj.announce;
                    delete obj.hello;
                }
                if (obj.global != null) {
                    delete obj.unmaskConsent;
                    delete obj.withdraw;
                    delete obj.unmaskReveal;
                    delete obj.unmaskRequest;
                    delete obj.secureShares;
                    delete obj.secureKeys;
                    delete obj.attest;
                    delete obj.update;
                    delete obj.offer;
                    delete obj.announce;
                    delete obj.hello;
                }
                if (obj.update != null) {
                    delete obj.unmaskConsent;
                    delete obj.withdraw;
                    delete obj.unmaskReveal;
                    delete obj.unmaskRequest;
                    delete obj.secureShares;
                    delete obj.secureKeys;
                    delete obj.attest;
                    delete obj.global;
                    delete obj.offer;
                    delete obj.announce;
                    delete obj.hello;
                }
                if (obj.offer != null) {
                    delete obj.unmaskConsent;
                    delete obj.withdraw;
                    delete obj.unmaskReveal;
                    delete obj.unmaskRequest;
                    delete obj.secureShares;
                    delete obj.secureKeys;
                    delete obj.attest;
                    delete obj.global;
                    delete obj.update;
                    delete obj.announce;
                    delete obj.hello;
                }
                if (obj.announce != null) {
                    delete obj.unmaskConsent;
                    delete obj.withdraw;
                    delete obj.unmaskReveal;
                    delete obj.unmaskRequest;
                    delete obj.secureShares;
                    delete obj.secureKeys;
                    delete obj.attest;
                    delete obj.global;
                    delete obj.update;
                    delete obj.offer;
                    delete obj.hello;
                }
                if (obj.hello != null) {
                    delete obj.unmaskConsent;
                    delete obj.withdraw;
                    delete obj.unmaskReveal;
                    delete obj.unmaskRequest;
                    delete obj.secureShares;
                    delete obj.secureKeys;
                    delete obj.attest;
                    delete obj.global;
                    delete obj.update;
                    delete obj.offer;
                    delete obj.announce;
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.version`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield* Hello.codec().stream(reader, reader.uint32(), `${prefix}.hello`, {
                                limits: opts.limits?.hello
                            });
                            break;
                        }
                        case 3: {
                            yield* Announce.codec().stream(reader, reader.uint32(), `${prefix}.announce`, {
                                limits: opts.limits?.announce
                            });
                            break;
                        }
                        case 4: {
                            yield* Offer.codec().stream(reader, reader.uint32(), `${prefix}.offer`, {
                                limits: opts.limits?.offer
                            });
                            break;
                        }
                        case 5: {
                            yield* Update.codec().stream(reader, reader.uint32(), `${prefix}.update`, {
                                limits: opts.limits?.update
                            });
                            break;
                        }
                        case 6: {
                            yield* Global.codec().stream(reader, reader.uint32(), `${prefix}.global`, {
                                limits: opts.limits?.global
                            });
                            break;
                        }
                        case 7: {
                            yield* Attest.codec().stream(reader, reader.uint32(), `${prefix}.attest`, {
                                limits: opts.limits?.attest
                            });
                            break;
                        }
                        case 8: {
                            yield* SecureKeys.codec().stream(reader, reader.uint32(), `${prefix}.secureKeys`, {
                                limits: opts.limits?.secureKeys
                            });
                            break;
                        }
                        case 9: {
                            yield* SecureShares.codec().stream(reader, reader.uint32(), `${prefix}.secureShares`, {
                                limits: opts.limits?.secureShares
                            });
                            break;
                        }
                        case 10: {
                            yield* UnmaskRequest.codec().stream(reader, reader.uint32(), `${prefix}.unmaskRequest`, {
                                limits: opts.limits?.unmaskRequest
                            });
                            break;
                        }
                        case 11: {
                            yield* UnmaskReveal.codec().stream(reader, reader.uint32(), `${prefix}.unmaskReveal`, {
                                limits: opts.limits?.unmaskReveal
                            });
                            break;
                        }
                        case 12: {
                            yield* Withdraw.codec().stream(reader, reader.uint32(), `${prefix}.withdraw`, {
                                limits: opts.limits?.withdraw
                            });
                            break;
                        }
                        case 13: {
                            yield* UnmaskConsent.codec().stream(reader, reader.uint32(), `${prefix}.unmaskConsent`, {
                                limits: opts.limits?.unmaskConsent
                            });
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, Message.codec());
    }
    Message.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, Message.codec(), opts);
    }
    Message.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, Message.codec(), opts);
    }
    Message.stream = stream;
})(Message || (Message = {}));
export var Hello;
(function (Hello) {
    let _codec;
    Hello.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if (obj.multiaddrs != null && obj.multiaddrs.length > 0) {
                    for (const value of obj.multiaddrs) {
                        w.uint32(10);
                        w.string(value);
                    }
                }
                if ((obj.round != null && obj.round !== 0)) {
                    w.uint32(16);
                    w.uint32(obj.round);
                }
                if ((obj.modelHash != null && obj.modelHash.byteLength > 0)) {
                    w.uint32(26);
                    w.bytes(obj.modelHash);
                }
                if (obj.name != null) {
                    w.uint32(34);
                    w.string(obj.name);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    multiaddrs: [],
                    round: 0,
                    modelHash: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            if (opts.limits?.multiaddrs != null && obj.multiaddrs.length === opts.limits.multiaddrs) {
                                throw new MaxLengthError('Decode error - repeated field "multiaddrs" had too many elements');
                            }
                            obj.multiaddrs.push(reader.string());
                            break;
                        }
                        case 2: {
                            obj.round = reader.uint32();
                            break;
                        }
                        case 3: {
                            obj.modelHash = reader.bytes();
                            break;
                        }
                        case 4: {
                            obj.name = reader.string();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const obj = {
                    multiaddrs: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            if (opts.limits?.multiaddrs != null && obj.multiaddrs === opts.limits.multiaddrs) {
                                throw new MaxLengthError('Streaming decode error - repeated field "multiaddrs" had too many elements');
                            }
                            yield {
                                field: `${prefix}.multiaddrs[]`,
                                index: obj.multiaddrs,
                                value: reader.string()
                            };
                            obj.multiaddrs++;
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.round`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.modelHash`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.name`,
                                value: reader.string()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, Hello.codec());
    }
    Hello.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, Hello.codec(), opts);
    }
    Hello.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, Hello.codec(), opts);
    }
    Hello.stream = stream;
})(Hello || (Hello = {}));
export var Announce;
(function (Announce) {
    let _codec;
    Announce.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.round != null && obj.round !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.round);
                }
                if ((obj.baseHash != null && obj.baseHash.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.baseHash);
                }
                if (obj.roster != null && obj.roster.length > 0) {
                    for (const value of obj.roster) {
                        w.uint32(26);
                        w.string(value);
                    }
                }
                if ((obj.sealed != null && obj.sealed !== false)) {
                    w.uint32(32);
                    w.bool(obj.sealed);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    round: 0,
                    baseHash: uint8ArrayAlloc(0),
                    roster: [],
                    sealed: false
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.round = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.baseHash = reader.bytes();
                            break;
                        }
                        case 3: {
                            if (opts.limits?.roster != null && obj.roster.length === opts.limits.roster) {
                                throw new MaxLengthError('Decode error - repeated field "roster" had too many elements');
                            }
                            obj.roster.push(reader.string());
                            break;
                        }
                        case 4: {
                            obj.sealed = reader.bool();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const obj = {
                    roster: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.round`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.baseHash`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            if (opts.limits?.roster != null && obj.roster === opts.limits.roster) {
                                throw new MaxLengthError('Streaming decode error - repeated field "roster" had too many elements');
                            }
                            yield {
                                field: `${prefix}.roster[]`,
                                index: obj.roster,
                                value: reader.string()
                            };
                            obj.roster++;
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.sealed`,
                                value: reader.bool()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, Announce.codec());
    }
    Announce.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, Announce.codec(), opts);
    }
    Announce.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, Announce.codec(), opts);
    }
    Announce.stream = stream;
})(Announce || (Announce = {}));
export var Offer;
(function (Offer) {
    let _codec;
    Offer.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.round != null && obj.round !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.round);
                }
                if ((obj.baseHash != null && obj.baseHash.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.baseHash);
                }
                if ((obj.samples != null && obj.samples !== 0)) {
                    w.uint32(24);
                    w.uint32(obj.samples);
                }
                if ((obj.bytes != null && obj.bytes !== 0)) {
                    w.uint32(32);
                    w.uint32(obj.bytes);
                }
                if ((obj.updateHash != null && obj.updateHash.byteLength > 0)) {
                    w.uint32(42);
                    w.bytes(obj.updateHash);
                }
                if (obj.maskedWith != null && obj.maskedWith.length > 0) {
                    for (const value of obj.maskedWith) {
                        w.uint32(50);
                        w.string(value);
                    }
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    round: 0,
                    baseHash: uint8ArrayAlloc(0),
                    samples: 0,
                    bytes: 0,
                    updateHash: uint8ArrayAlloc(0),
                    maskedWith: []
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.round = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.baseHash = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.samples = reader.uint32();
                            break;
                        }
                        case 4: {
                            obj.bytes = reader.uint32();
                            break;
                        }
                        case 5: {
                            obj.updateHash = reader.bytes();
                            break;
                        }
                        case 6: {
                            if (opts.limits?.maskedWith != null && obj.maskedWith.length === opts.limits.maskedWith) {
                                throw new MaxLengthError('Decode error - repeated field "maskedWith" had too many elements');
                            }
                            obj.maskedWith.push(reader.string());
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const obj = {
                    maskedWith: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.round`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.baseHash`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.samples`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.bytes`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 5: {
                            yield {
                                field: `${prefix}.updateHash`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 6: {
                            if (opts.limits?.maskedWith != null && obj.maskedWith === opts.limits.maskedWith) {
                                throw new MaxLengthError('Streaming decode error - repeated field "maskedWith" had too many elements');
                            }
                            yield {
                                field: `${prefix}.maskedWith[]`,
                                index: obj.maskedWith,
                                value: reader.string()
                            };
                            obj.maskedWith++;
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, Offer.codec());
    }
    Offer.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, Offer.codec(), opts);
    }
    Offer.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, Offer.codec(), opts);
    }
    Offer.stream = stream;
})(Offer || (Offer = {}));
export var Update;
(function (Update) {
    let _codec;
    Update.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.round != null && obj.round !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.round);
                }
                if ((obj.baseHash != null && obj.baseHash.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.baseHash);
                }
                if ((obj.samples != null && obj.samples !== 0)) {
                    w.uint32(24);
                    w.uint32(obj.samples);
                }
                if (obj.change != null && obj.change.length > 0) {
                    for (const value of obj.change) {
                        w.uint32(34);
                        Tensor.codec().encode(value, w);
                    }
                }
                if ((obj.masked != null && obj.masked.byteLength > 0)) {
                    w.uint32(42);
                    w.bytes(obj.masked);
                }
                if (obj.maskedWith != null && obj.maskedWith.length > 0) {
                    for (const value of obj.maskedWith) {
                        w.uint32(50);
                        w.string(value);
                    }
                }
                if ((obj.salt != null && obj.salt.byteLength > 0)) {
                    w.uint32(58);
                    w.bytes(obj.salt);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    round: 0,
                    baseHash: uint8ArrayAlloc(0),
                    samples: 0,
                    change: [],
                    masked: uint8ArrayAlloc(0),
                    maskedWith: [],
                    salt: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.round = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.baseHash = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.samples = reader.uint32();
                            break;
                        }
                        case 4: {
                            if (opts.limits?.change != null && obj.change.length === opts.limits.change) {
                                throw new MaxLengthError('Decode error - repeated field "change" had too many elements');
                            }
                            obj.change.push(Tensor.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.change$
                            }));
                            break;
                        }
                        case 5: {
                            obj.masked = reader.bytes();
                            break;
                        }
                        case 6: {
                            if (opts.limits?.maskedWith != null && obj.maskedWith.length === opts.limits.maskedWith) {
                                throw new MaxLengthError('Decode error - repeated field "maskedWith" had too many elements');
                            }
                            obj.maskedWith.push(reader.string());
                            break;
                        }
                        case 7: {
                            obj.salt = reader.bytes();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const obj = {
                    change: 0,
                    maskedWith: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.round`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.baseHash`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.samples`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 4: {
                            if (opts.limits?.change != null && obj.change === opts.limits.change) {
                                throw new MaxLengthError('Streaming decode error - repeated field "change" had too many elements');
                            }
                            for (const evt of Tensor.codec().stream(reader, reader.uint32(), `${prefix}.change[]`, {
                                limits: opts.limits?.change$
                            })) {
                                yield {
                                    ...evt,
                                    index: obj.change
                                };
                            }
                            obj.change++;
                            break;
                        }
                        case 5: {
                            yield {
                                field: `${prefix}.masked`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 6: {
                            if (opts.limits?.maskedWith != null && obj.maskedWith === opts.limits.maskedWith) {
                                throw new MaxLengthError('Streaming decode error - repeated field "maskedWith" had too many elements');
                            }
                            yield {
                                field: `${prefix}.maskedWith[]`,
                                index: obj.maskedWith,
                                value: reader.string()
                            };
                            obj.maskedWith++;
                            break;
                        }
                        case 7: {
                            yield {
                                field: `${prefix}.salt`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, Update.codec());
    }
    Update.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, Update.codec(), opts);
    }
    Update.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, Update.codec(), opts);
    }
    Update.stream = stream;
})(Update || (Update = {}));
export var Global;
(function (Global) {
    let _codec;
    Global.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.round != null && obj.round !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.round);
                }
                if ((obj.modelHash != null && obj.modelHash.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.modelHash);
                }
                if (obj.contributors != null && obj.contributors.length > 0) {
                    for (const value of obj.contributors) {
                        w.uint32(26);
                        w.string(value);
                    }
                }
                if ((obj.merger != null && obj.merger !== '')) {
                    w.uint32(34);
                    w.string(obj.merger);
                }
                if ((obj.samples != null && obj.samples !== 0)) {
                    w.uint32(40);
                    w.uint32(obj.samples);
                }
                if (obj.weights != null && obj.weights.length > 0) {
                    for (const value of obj.weights) {
                        w.uint32(50);
                        Tensor.codec().encode(value, w);
                    }
                }
                if ((obj.definition != null && obj.definition !== '')) {
                    w.uint32(58);
                    w.string(obj.definition);
                }
                if (obj.state != null && obj.state.length > 0) {
                    for (const value of obj.state) {
                        w.uint32(66);
                        Tensor.codec().encode(value, w);
                    }
                }
                if (obj.updateHashes != null && obj.updateHashes.length > 0) {
                    for (const value of obj.updateHashes) {
                        w.uint32(74);
                        w.bytes(value);
                    }
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    round: 0,
                    modelHash: uint8ArrayAlloc(0),
                    contributors: [],
                    merger: '',
                    samples: 0,
                    weights: [],
                    definition: '',
                    state: [],
                    updateHashes: []
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.round = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.modelHash = reader.bytes();
                            break;
                        }
                        case 3: {
                            if (opts.limits?.contributors != null && obj.contributors.length === opts.limits.contributors) {
                                throw new MaxLengthError('Decode error - repeated field "contributors" had too many elements');
                            }
                            obj.contributors.push(reader.string());
                            break;
                        }
                        case 4: {
                            obj.merger = reader.string();
                            break;
                        }
                        case 5: {
                            obj.samples = reader.uint32();
                            break;
                        }
                        case 6: {
                            if (opts.limits?.weights != null && obj.weights.length === opts.limits.weights) {
                                throw new MaxLengthError('Decode error - repeated field "weights" had too many elements');
                            }
                            obj.weights.push(Tensor.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.weights$
                            }));
                            break;
                        }
                        case 7: {
                            obj.definition = reader.string();
                            break;
                        }
                        case 8: {
                            if (opts.limits?.state != null && obj.state.length === opts.limits.state) {
                                throw new MaxLengthError('Decode error - repeated field "state" had too many elements');
                            }
                            obj.state.push(Tensor.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.state$
                            }));
                            break;
                        }
                        case 9: {
                            if (opts.limits?.updateHashes != null && obj.updateHashes.length === opts.limits.updateHashes) {
                                throw new MaxLengthError('Decode error - repeated field "updateHashes" had too many elements');
                            }
                            obj.updateHashes.push(reader.bytes());
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const obj = {
                    contributors: 0,
                    weights: 0,
                    state: 0,
                    updateHashes: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.round`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.modelHash`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            if (opts.limits?.contributors != null && obj.contributors === opts.limits.contributors) {
                                throw new MaxLengthError('Streaming decode error - repeated field "contributors" had too many elements');
                            }
                            yield {
                                field: `${prefix}.contributors[]`,
                                index: obj.contributors,
                                value: reader.string()
                            };
                            obj.contributors++;
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.merger`,
                                value: reader.string()
                            };
                            break;
                        }
                        case 5: {
                            yield {
                                field: `${prefix}.samples`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 6: {
                            if (opts.limits?.weights != null && obj.weights === opts.limits.weights) {
                                throw new MaxLengthError('Streaming decode error - repeated field "weights" had too many elements');
                            }
                            for (const evt of Tensor.codec().stream(reader, reader.uint32(), `${prefix}.weights[]`, {
                                limits: opts.limits?.weights$
                            })) {
                                yield {
                                    ...evt,
                                    index: obj.weights
                                };
                            }
                            obj.weights++;
                            break;
                        }
                        case 7: {
                            yield {
                                field: `${prefix}.definition`,
                                value: reader.string()
                            };
                            break;
                        }
                        case 8: {
                            if (opts.limits?.state != null && obj.state === opts.limits.state) {
                                throw new MaxLengthError('Streaming decode error - repeated field "state" had too many elements');
                            }
                            for (const evt of Tensor.codec().stream(reader, reader.uint32(), `${prefix}.state[]`, {
                                limits: opts.limits?.state$
                            })) {
                                yield {
                                    ...evt,
                                    index: obj.state
                                };
                            }
                            obj.state++;
                            break;
                        }
                        case 9: {
                            if (opts.limits?.updateHashes != null && obj.updateHashes === opts.limits.updateHashes) {
                                throw new MaxLengthError('Streaming decode error - repeated field "updateHashes" had too many elements');
                            }
                            yield {
                                field: `${prefix}.updateHashes[]`,
                                index: obj.updateHashes,
                                value: reader.bytes()
                            };
                            obj.updateHashes++;
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, Global.codec());
    }
    Global.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, Global.codec(), opts);
    }
    Global.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, Global.codec(), opts);
    }
    Global.stream = stream;
})(Global || (Global = {}));
export var Withdraw;
(function (Withdraw) {
    let _codec;
    Withdraw.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.round != null && obj.round !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.round);
                }
                if ((obj.baseHash != null && obj.baseHash.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.baseHash);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    round: 0,
                    baseHash: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.round = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.baseHash = reader.bytes();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.round`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.baseHash`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, Withdraw.codec());
    }
    Withdraw.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, Withdraw.codec(), opts);
    }
    Withdraw.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, Withdraw.codec(), opts);
    }
    Withdraw.stream = stream;
})(Withdraw || (Withdraw = {}));
export var Attest;
(function (Attest) {
    let _codec;
    Attest.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.round != null && obj.round !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.round);
                }
                if ((obj.modelHash != null && obj.modelHash.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.modelHash);
                }
                if ((obj.merger != null && obj.merger !== '')) {
                    w.uint32(26);
                    w.string(obj.merger);
                }
                if ((obj.computedHash != null && obj.computedHash.byteLength > 0)) {
                    w.uint32(34);
                    w.bytes(obj.computedHash);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    round: 0,
                    modelHash: uint8ArrayAlloc(0),
                    merger: '',
                    computedHash: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.round = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.modelHash = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.merger = reader.string();
                            break;
                        }
                        case 4: {
                            obj.computedHash = reader.bytes();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.round`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.modelHash`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.merger`,
                                value: reader.string()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.computedHash`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, Attest.codec());
    }
    Attest.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, Attest.codec(), opts);
    }
    Attest.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, Attest.codec(), opts);
    }
    Attest.stream = stream;
})(Attest || (Attest = {}));
export var SecureKeys;
(function (SecureKeys) {
    let _codec;
    SecureKeys.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.round != null && obj.round !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.round);
                }
                if ((obj.baseHash != null && obj.baseHash.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.baseHash);
                }
                if ((obj.channelKey != null && obj.channelKey.byteLength > 0)) {
                    w.uint32(26);
                    w.bytes(obj.channelKey);
                }
                if ((obj.maskKey != null && obj.maskKey.byteLength > 0)) {
                    w.uint32(34);
                    w.bytes(obj.maskKey);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    round: 0,
                    baseHash: uint8ArrayAlloc(0),
                    channelKey: uint8ArrayAlloc(0),
                    maskKey: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.round = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.baseHash = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.channelKey = reader.bytes();
                            break;
                        }
                        case 4: {
                            obj.maskKey = reader.bytes();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.round`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.baseHash`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.channelKey`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.maskKey`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, SecureKeys.codec());
    }
    SecureKeys.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, SecureKeys.codec(), opts);
    }
    SecureKeys.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, SecureKeys.codec(), opts);
    }
    SecureKeys.stream = stream;
})(SecureKeys || (SecureKeys = {}));
export var SecureShares;
(function (SecureShares) {
    let _codec;
    SecureShares.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.round != null && obj.round !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.round);
                }
                if ((obj.baseHash != null && obj.baseHash.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.baseHash);
                }
                if ((obj.threshold != null && obj.threshold !== 0)) {
                    w.uint32(24);
                    w.uint32(obj.threshold);
                }
                if ((obj.selfMaskCommitment != null && obj.selfMaskCommitment.byteLength > 0)) {
                    w.uint32(34);
                    w.bytes(obj.selfMaskCommitment);
                }
                if (obj.shares != null && obj.shares.length > 0) {
                    for (const value of obj.shares) {
                        w.uint32(42);
                        EncryptedShare.codec().encode(value, w);
                    }
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    round: 0,
                    baseHash: uint8ArrayAlloc(0),
                    threshold: 0,
                    selfMaskCommitment: uint8ArrayAlloc(0),
                    shares: []
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.round = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.baseHash = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.threshold = reader.uint32();
                            break;
                        }
                        case 4: {
                            obj.selfMaskCommitment = reader.bytes();
                            break;
                        }
                        case 5: {
                            if (opts.limits?.shares != null && obj.shares.length === opts.limits.shares) {
                                throw new MaxLengthError('Decode error - repeated field "shares" had too many elements');
                            }
                            obj.shares.push(EncryptedShare.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.shares$
                            }));
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const obj = {
                    shares: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.round`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.baseHash`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.threshold`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.selfMaskCommitment`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 5: {
                            if (opts.limits?.shares != null && obj.shares === opts.limits.shares) {
                                throw new MaxLengthError('Streaming decode error - repeated field "shares" had too many elements');
                            }
                            for (const evt of EncryptedShare.codec().stream(reader, reader.uint32(), `${prefix}.shares[]`, {
                                limits: opts.limits?.shares$
                            })) {
                                yield {
                                    ...evt,
                                    index: obj.shares
                                };
                            }
                            obj.shares++;
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, SecureShares.codec());
    }
    SecureShares.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, SecureShares.codec(), opts);
    }
    SecureShares.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, SecureShares.codec(), opts);
    }
    SecureShares.stream = stream;
})(SecureShares || (SecureShares = {}));
export var EncryptedShare;
(function (EncryptedShare) {
    let _codec;
    EncryptedShare.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.to != null && obj.to !== '')) {
                    w.uint32(10);
                    w.string(obj.to);
                }
                if ((obj.nonce != null && obj.nonce.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.nonce);
                }
                if ((obj.ciphertext != null && obj.ciphertext.byteLength > 0)) {
                    w.uint32(26);
                    w.bytes(obj.ciphertext);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    to: '',
                    nonce: uint8ArrayAlloc(0),
                    ciphertext: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.to = reader.string();
                            break;
                        }
                        case 2: {
                            obj.nonce = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.ciphertext = reader.bytes();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.to`,
                                value: reader.string()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.nonce`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.ciphertext`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, EncryptedShare.codec());
    }
    EncryptedShare.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, EncryptedShare.codec(), opts);
    }
    EncryptedShare.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, EncryptedShare.codec(), opts);
    }
    EncryptedShare.stream = stream;
})(EncryptedShare || (EncryptedShare = {}));
export var UnmaskRequest;
(function (UnmaskRequest) {
    let _codec;
    UnmaskRequest.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.round != null && obj.round !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.round);
                }
                if ((obj.baseHash != null && obj.baseHash.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.baseHash);
                }
                if (obj.survivors != null && obj.survivors.length > 0) {
                    for (const value of obj.survivors) {
                        w.uint32(26);
                        w.string(value);
                    }
                }
                if (obj.dropped != null && obj.dropped.length > 0) {
                    for (const value of obj.dropped) {
                        w.uint32(34);
                        w.string(value);
                    }
                }
                if (obj.survivorMasks != null && obj.survivorMasks.length > 0) {
                    for (const value of obj.survivorMasks) {
                        w.uint32(42);
                        MaskedWith.codec().encode(value, w);
                    }
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    round: 0,
                    baseHash: uint8ArrayAlloc(0),
                    survivors: [],
                    dropped: [],
                    survivorMasks: []
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.round = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.baseHash = reader.bytes();
                            break;
                        }
                        case 3: {
                            if (opts.limits?.survivors != null && obj.survivors.length === opts.limits.survivors) {
                                throw new MaxLengthError('Decode error - repeated field "survivors" had too many elements');
                            }
                            obj.survivors.push(reader.string());
                            break;
                        }
                        case 4: {
                            if (opts.limits?.dropped != null && obj.dropped.length === opts.limits.dropped) {
                                throw new MaxLengthError('Decode error - repeated field "dropped" had too many elements');
                            }
                            obj.dropped.push(reader.string());
                            break;
                        }
                        case 5: {
                            if (opts.limits?.survivorMasks != null && obj.survivorMasks.length === opts.limits.survivorMasks) {
                                throw new MaxLengthError('Decode error - repeated field "survivorMasks" had too many elements');
                            }
                            obj.survivorMasks.push(MaskedWith.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.survivorMasks$
                            }));
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const obj = {
                    survivors: 0,
                    dropped: 0,
                    survivorMasks: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.round`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.baseHash`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            if (opts.limits?.survivors != null && obj.survivors === opts.limits.survivors) {
                                throw new MaxLengthError('Streaming decode error - repeated field "survivors" had too many elements');
                            }
                            yield {
                                field: `${prefix}.survivors[]`,
                                index: obj.survivors,
                                value: reader.string()
                            };
                            obj.survivors++;
                            break;
                        }
                        case 4: {
                            if (opts.limits?.dropped != null && obj.dropped === opts.limits.dropped) {
                                throw new MaxLengthError('Streaming decode error - repeated field "dropped" had too many elements');
                            }
                            yield {
                                field: `${prefix}.dropped[]`,
                                index: obj.dropped,
                                value: reader.string()
                            };
                            obj.dropped++;
                            break;
                        }
                        case 5: {
                            if (opts.limits?.survivorMasks != null && obj.survivorMasks === opts.limits.survivorMasks) {
                                throw new MaxLengthError('Streaming decode error - repeated field "survivorMasks" had too many elements');
                            }
                            for (const evt of MaskedWith.codec().stream(reader, reader.uint32(), `${prefix}.survivorMasks[]`, {
                                limits: opts.limits?.survivorMasks$
                            })) {
                                yield {
                                    ...evt,
                                    index: obj.survivorMasks
                                };
                            }
                            obj.survivorMasks++;
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, UnmaskRequest.codec());
    }
    UnmaskRequest.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, UnmaskRequest.codec(), opts);
    }
    UnmaskRequest.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, UnmaskRequest.codec(), opts);
    }
    UnmaskRequest.stream = stream;
})(UnmaskRequest || (UnmaskRequest = {}));
export var MaskedWith;
(function (MaskedWith) {
    let _codec;
    MaskedWith.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if (obj.peers != null && obj.peers.length > 0) {
                    for (const value of obj.peers) {
                        w.uint32(10);
                        w.string(value);
                    }
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    peers: []
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            if (opts.limits?.peers != null && obj.peers.length === opts.limits.peers) {
                                throw new MaxLengthError('Decode error - repeated field "peers" had too many elements');
                            }
                            obj.peers.push(reader.string());
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const obj = {
                    peers: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            if (opts.limits?.peers != null && obj.peers === opts.limits.peers) {
                                throw new MaxLengthError('Streaming decode error - repeated field "peers" had too many elements');
                            }
                            yield {
                                field: `${prefix}.peers[]`,
                                index: obj.peers,
                                value: reader.string()
                            };
                            obj.peers++;
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, MaskedWith.codec());
    }
    MaskedWith.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, MaskedWith.codec(), opts);
    }
    MaskedWith.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, MaskedWith.codec(), opts);
    }
    MaskedWith.stream = stream;
})(MaskedWith || (MaskedWith = {}));
export var UnmaskConsent;
(function (UnmaskConsent) {
    let _codec;
    UnmaskConsent.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.round != null && obj.round !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.round);
                }
                if ((obj.baseHash != null && obj.baseHash.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.baseHash);
                }
                if ((obj.setHash != null && obj.setHash.byteLength > 0)) {
                    w.uint32(26);
                    w.bytes(obj.setHash);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    round: 0,
                    baseHash: uint8ArrayAlloc(0),
                    setHash: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.round = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.baseHash = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.setHash = reader.bytes();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.round`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.baseHash`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.setHash`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, UnmaskConsent.codec());
    }
    UnmaskConsent.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, UnmaskConsent.codec(), opts);
    }
    UnmaskConsent.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, UnmaskConsent.codec(), opts);
    }
    UnmaskConsent.stream = stream;
})(UnmaskConsent || (UnmaskConsent = {}));
export var UnmaskReveal;
(function (UnmaskReveal) {
    let _codec;
    UnmaskReveal.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.round != null && obj.round !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.round);
                }
                if ((obj.baseHash != null && obj.baseHash.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.baseHash);
                }
                if ((obj.setHash != null && obj.setHash.byteLength > 0)) {
                    w.uint32(26);
                    w.bytes(obj.setHash);
                }
                if (obj.sealed != null && obj.sealed.length > 0) {
                    for (const value of obj.sealed) {
                        w.uint32(34);
                        EncryptedShare.codec().encode(value, w);
                    }
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    round: 0,
                    baseHash: uint8ArrayAlloc(0),
                    setHash: uint8ArrayAlloc(0),
                    sealed: []
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.round = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.baseHash = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.setHash = reader.bytes();
                            break;
                        }
                        case 4: {
                            if (opts.limits?.sealed != null && obj.sealed.length === opts.limits.sealed) {
                                throw new MaxLengthError('Decode error - repeated field "sealed" had too many elements');
                            }
                            obj.sealed.push(EncryptedShare.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.sealed$
                            }));
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const obj = {
                    sealed: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.round`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.baseHash`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.setHash`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 4: {
                            if (opts.limits?.sealed != null && obj.sealed === opts.limits.sealed) {
                                throw new MaxLengthError('Streaming decode error - repeated field "sealed" had too many elements');
                            }
                            for (const evt of EncryptedShare.codec().stream(reader, reader.uint32(), `${prefix}.sealed[]`, {
                                limits: opts.limits?.sealed$
                            })) {
                                yield {
                                    ...evt,
                                    index: obj.sealed
                                };
                            }
                            obj.sealed++;
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, UnmaskReveal.codec());
    }
    UnmaskReveal.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, UnmaskReveal.codec(), opts);
    }
    UnmaskReveal.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, UnmaskReveal.codec(), opts);
    }
    UnmaskReveal.stream = stream;
})(UnmaskReveal || (UnmaskReveal = {}));
export var RevealedShares;
(function (RevealedShares) {
    let _codec;
    RevealedShares.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if (obj.selfMasks != null && obj.selfMasks.length > 0) {
                    for (const value of obj.selfMasks) {
                        w.uint32(10);
                        RevealedShare.codec().encode(value, w);
                    }
                }
                if (obj.maskKeys != null && obj.maskKeys.length > 0) {
                    for (const value of obj.maskKeys) {
                        w.uint32(18);
                        RevealedShare.codec().encode(value, w);
                    }
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    selfMasks: [],
                    maskKeys: []
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            if (opts.limits?.selfMasks != null && obj.selfMasks.length === opts.limits.selfMasks) {
                                throw new MaxLengthError('Decode error - repeated field "selfMasks" had too many elements');
                            }
                            obj.selfMasks.push(RevealedShare.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.selfMasks$
                            }));
                            break;
                        }
                        case 2: {
                            if (opts.limits?.maskKeys != null && obj.maskKeys.length === opts.limits.maskKeys) {
                                throw new MaxLengthError('Decode error - repeated field "maskKeys" had too many elements');
                            }
                            obj.maskKeys.push(RevealedShare.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.maskKeys$
                            }));
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const obj = {
                    selfMasks: 0,
                    maskKeys: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            if (opts.limits?.selfMasks != null && obj.selfMasks === opts.limits.selfMasks) {
                                throw new MaxLengthError('Streaming decode error - repeated field "selfMasks" had too many elements');
                            }
                            for (const evt of RevealedShare.codec().stream(reader, reader.uint32(), `${prefix}.selfMasks[]`, {
                                limits: opts.limits?.selfMasks$
                            })) {
                                yield {
                                    ...evt,
                                    index: obj.selfMasks
                                };
                            }
                            obj.selfMasks++;
                            break;
                        }
                        case 2: {
                            if (opts.limits?.maskKeys != null && obj.maskKeys === opts.limits.maskKeys) {
                                throw new MaxLengthError('Streaming decode error - repeated field "maskKeys" had too many elements');
                            }
                            for (const evt of RevealedShare.codec().stream(reader, reader.uint32(), `${prefix}.maskKeys[]`, {
                                limits: opts.limits?.maskKeys$
                            })) {
                                yield {
                                    ...evt,
                                    index: obj.maskKeys
                                };
                            }
                            obj.maskKeys++;
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, RevealedShares.codec());
    }
    RevealedShares.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, RevealedShares.codec(), opts);
    }
    RevealedShares.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, RevealedShares.codec(), opts);
    }
    RevealedShares.stream = stream;
})(RevealedShares || (RevealedShares = {}));
export var RevealedShare;
(function (RevealedShare) {
    let _codec;
    RevealedShare.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.owner != null && obj.owner !== '')) {
                    w.uint32(10);
                    w.string(obj.owner);
                }
                if ((obj.share != null && obj.share.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.share);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    owner: '',
                    share: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.owner = reader.string();
                            break;
                        }
                        case 2: {
                            obj.share = reader.bytes();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.owner`,
                                value: reader.string()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.share`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, RevealedShare.codec());
    }
    RevealedShare.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, RevealedShare.codec(), opts);
    }
    RevealedShare.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, RevealedShare.codec(), opts);
    }
    RevealedShare.stream = stream;
})(RevealedShare || (RevealedShare = {}));
export var Encoding;
(function (Encoding) {
    Encoding["FLOAT32"] = "FLOAT32";
    Encoding["FLOAT16"] = "FLOAT16";
    Encoding["INT8"] = "INT8";
})(Encoding || (Encoding = {}));
var __EncodingValues;
(function (__EncodingValues) {
    __EncodingValues[__EncodingValues["FLOAT32"] = 0] = "FLOAT32";
    __EncodingValues[__EncodingValues["FLOAT16"] = 1] = "FLOAT16";
    __EncodingValues[__EncodingValues["INT8"] = 2] = "INT8";
})(__EncodingValues || (__EncodingValues = {}));
(function (Encoding) {
    Encoding.codec = () => {
        return enumeration(__EncodingValues);
    };
})(Encoding || (Encoding = {}));
export var Tensor;
(function (Tensor) {
    let _codec;
    Tensor.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if (obj.shape != null && obj.shape.length > 0) {
                    for (const value of obj.shape) {
                        w.uint32(8);
                        w.uint32(value);
                    }
                }
                if (obj.encoding != null && __EncodingValues[obj.encoding] !== 0) {
                    w.uint32(16);
                    Encoding.codec().encode(obj.encoding, w);
                }
                if ((obj.scale != null && obj.scale !== 0)) {
                    w.uint32(29);
                    w.float(obj.scale);
                }
                if ((obj.data != null && obj.data.byteLength > 0)) {
                    w.uint32(34);
                    w.bytes(obj.data);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    shape: [],
                    encoding: Encoding.FLOAT32,
                    scale: 0,
                    data: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            if (opts.limits?.shape != null && obj.shape.length === opts.limits.shape) {
                                throw new MaxLengthError('Decode error - repeated field "shape" had too many elements');
                            }
                            obj.shape.push(reader.uint32());
                            break;
                        }
                        case 2: {
                            obj.encoding = Encoding.codec().decode(reader);
                            break;
                        }
                        case 3: {
                            obj.scale = reader.float();
                            break;
                        }
                        case 4: {
                            obj.data = reader.bytes();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const obj = {
                    shape: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            if (opts.limits?.shape != null && obj.shape === opts.limits.shape) {
                                throw new MaxLengthError('Streaming decode error - repeated field "shape" had too many elements');
                            }
                            yield {
                                field: `${prefix}.shape[]`,
                                index: obj.shape,
                                value: reader.uint32()
                            };
                            obj.shape++;
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.encoding`,
                                value: Encoding.codec().decode(reader)
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.scale`,
                                value: reader.float()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.data`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, Tensor.codec());
    }
    Tensor.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, Tensor.codec(), opts);
    }
    Tensor.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, Tensor.codec(), opts);
    }
    Tensor.stream = stream;
})(Tensor || (Tensor = {}));
export var UpdateRequest;
(function (UpdateRequest) {
    let _codec;
    UpdateRequest.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.round != null && obj.round !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.round);
                }
                if ((obj.baseHash != null && obj.baseHash.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.baseHash);
                }
                if (obj.owner != null) {
                    w.uint32(26);
                    w.string(obj.owner);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    round: 0,
                    baseHash: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.round = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.baseHash = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.owner = reader.string();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.round`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.baseHash`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.owner`,
                                value: reader.string()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, UpdateRequest.codec());
    }
    UpdateRequest.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, UpdateRequest.codec(), opts);
    }
    UpdateRequest.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, UpdateRequest.codec(), opts);
    }
    UpdateRequest.stream = stream;
})(UpdateRequest || (UpdateRequest = {}));
export var GlobalRequest;
(function (GlobalRequest) {
    let _codec;
    GlobalRequest.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {};
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, GlobalRequest.codec());
    }
    GlobalRequest.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, GlobalRequest.codec(), opts);
    }
    GlobalRequest.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, GlobalRequest.codec(), opts);
    }
    GlobalRequest.stream = stream;
})(GlobalRequest || (GlobalRequest = {}));
export var MemberListRequest;
(function (MemberListRequest) {
    let _codec;
    MemberListRequest.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {};
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, MemberListRequest.codec());
    }
    MemberListRequest.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, MemberListRequest.codec(), opts);
    }
    MemberListRequest.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, MemberListRequest.codec(), opts);
    }
    MemberListRequest.stream = stream;
})(MemberListRequest || (MemberListRequest = {}));
export var MemberList;
(function (MemberList) {
    let _codec;
    MemberList.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if (obj.members != null && obj.members.length > 0) {
                    for (const value of obj.members) {
                        w.uint32(10);
                        Member.codec().encode(value, w);
                    }
                }
                if ((obj.globalRound != null && obj.globalRound !== 0)) {
                    w.uint32(16);
                    w.uint32(obj.globalRound);
                }
                if (obj.held != null) {
                    w.uint32(26);
                    Offer.codec().encode(obj.held, w);
                }
                if (obj.name != null) {
                    w.uint32(34);
                    w.string(obj.name);
                }
                if ((obj.globalHash != null && obj.globalHash.byteLength > 0)) {
                    w.uint32(42);
                    w.bytes(obj.globalHash);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    members: [],
                    globalRound: 0,
                    globalHash: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            if (opts.limits?.members != null && obj.members.length === opts.limits.members) {
                                throw new MaxLengthError('Decode error - repeated field "members" had too many elements');
                            }
                            obj.members.push(Member.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.members$
                            }));
                            break;
                        }
                        case 2: {
                            obj.globalRound = reader.uint32();
                            break;
                        }
                        case 3: {
                            obj.held = Offer.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.held
                            });
                            break;
                        }
                        case 4: {
                            obj.name = reader.string();
                            break;
                        }
                        case 5: {
                            obj.globalHash = reader.bytes();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const obj = {
                    members: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            if (opts.limits?.members != null && obj.members === opts.limits.members) {
                                throw new MaxLengthError('Streaming decode error - repeated field "members" had too many elements');
                            }
                            for (const evt of Member.codec().stream(reader, reader.uint32(), `${prefix}.members[]`, {
                                limits: opts.limits?.members$
                            })) {
                                yield {
                                    ...evt,
                                    index: obj.members
                                };
                            }
                            obj.members++;
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.globalRound`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 3: {
                            yield* Offer.codec().stream(reader, reader.uint32(), `${prefix}.held`, {
                                limits: opts.limits?.held
                            });
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.name`,
                                value: reader.string()
                            };
                            break;
                        }
                        case 5: {
                            yield {
                                field: `${prefix}.globalHash`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, MemberList.codec());
    }
    MemberList.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, MemberList.codec(), opts);
    }
    MemberList.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, MemberList.codec(), opts);
    }
    MemberList.stream = stream;
})(MemberList || (MemberList = {}));
export var Member;
(function (Member) {
    let _codec;
    Member.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.peerId != null && obj.peerId !== '')) {
                    w.uint32(10);
                    w.string(obj.peerId);
                }
                if (obj.multiaddrs != null && obj.multiaddrs.length > 0) {
                    for (const value of obj.multiaddrs) {
                        w.uint32(18);
                        w.string(value);
                    }
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    peerId: '',
                    multiaddrs: []
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.peerId = reader.string();
                            break;
                        }
                        case 2: {
                            if (opts.limits?.multiaddrs != null && obj.multiaddrs.length === opts.limits.multiaddrs) {
                                throw new MaxLengthError('Decode error - repeated field "multiaddrs" had too many elements');
                            }
                            obj.multiaddrs.push(reader.string());
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const obj = {
                    multiaddrs: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.peerId`,
                                value: reader.string()
                            };
                            break;
                        }
                        case 2: {
                            if (opts.limits?.multiaddrs != null && obj.multiaddrs === opts.limits.multiaddrs) {
                                throw new MaxLengthError('Streaming decode error - repeated field "multiaddrs" had too many elements');
                            }
                            yield {
                                field: `${prefix}.multiaddrs[]`,
                                index: obj.multiaddrs,
                                value: reader.string()
                            };
                            obj.multiaddrs++;
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, Member.codec());
    }
    Member.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, Member.codec(), opts);
    }
    Member.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, Member.codec(), opts);
    }
    Member.stream = stream;
})(Member || (Member = {}));
