// CloudFront Function (cloudfront-js-2.0, viewer request) for the /ocpp* behaviour.
//
// API Gateway WebSocket APIs have no path parameters, but OCPP chargers append their identity to
// the configured URL. This maps
//   /ocpp/<chargePointId>                 -> <STAGE_PATH>?chargePointId=<id>
//   /ocpp/<organization>/<chargePointId>  -> <STAGE_PATH>?organization=<org>&chargePointId=<id>
//   /ocpp?chargePointId=<id>              -> <STAGE_PATH>?chargePointId=<id>
// Path segments are URL-decoded and must match [A-Za-z0-9_-]+ (else 400); other paths get 404.
// CloudFront does not forward `Authorization` through an origin request policy, so the charger's
// HTTP Basic credentials are copied to `X-Charger-Authorization`, which the app reads as well.
//
// STAGE_PATH is replaced with the API Gateway stage by infrastructure/build.py.
var STAGE_PATH = '/api';
var PREFIX = '/ocpp';
var ID_PATTERN = /^[A-Za-z0-9_-]+$/;

function refuse(statusCode, statusDescription) {
    return {
        statusCode: statusCode,
        statusDescription: statusDescription,
        headers: { 'cache-control': { value: 'no-store' } },
    };
}

// Returns the decoded, valid segment, or null.
function decodeSegment(raw) {
    var value;
    try {
        value = decodeURIComponent(raw);
    } catch (e) {
        return null;
    }
    return ID_PATTERN.test(value) ? value : null;
}

function handler(event) {
    var request = event.request;
    var uri = request.uri;
    var query = request.querystring || {};
    var headers = request.headers || {};

    if (uri !== PREFIX && uri.indexOf(PREFIX + '/') !== 0) {
        return refuse(404, 'Not Found');
    }
    var rest = uri.substring(PREFIX.length + 1);
    if (rest.length > 0 && rest.charAt(rest.length - 1) === '/') {
        rest = rest.substring(0, rest.length - 1);  // one trailing slash is tolerated
    }
    var segments = rest.length > 0 ? rest.split('/') : [];
    if (segments.length > 2) {
        return refuse(404, 'Not Found');
    }

    var decoded = [];
    for (var i = 0; i < segments.length; i++) {
        var value = decodeSegment(segments[i]);
        if (value === null) {
            return refuse(400, 'Bad Request');
        }
        decoded.push(value);
    }

    if (decoded.length === 0) {
        // Identity already in the query string (the form API Gateway itself accepts).
        var given = query.chargePointId;
        var id = given && !given.multiValue ? decodeSegment(given.value) : null;
        if (id === null) {
            return refuse(404, 'Not Found');
        }
        query.chargePointId = { value: id };
        if (query.organization) {
            var org = query.organization.multiValue ? null : decodeSegment(query.organization.value);
            if (org === null) {
                return refuse(400, 'Bad Request');
            }
            query.organization = { value: org };
        }
    } else {
        // The path is the identity: whatever the query string claims is replaced.
        query.chargePointId = { value: decoded[decoded.length - 1] };
        if (decoded.length === 2) {
            query.organization = { value: decoded[0] };
        } else {
            delete query.organization;
        }
    }

    if (headers.authorization) {
        headers['x-charger-authorization'] = { value: headers.authorization.value };
    } else {
        delete headers['x-charger-authorization'];
    }

    request.uri = STAGE_PATH;
    request.querystring = query;
    request.headers = headers;
    return request;
}
