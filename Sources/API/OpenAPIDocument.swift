import Foundation
import Hummingbird

/// The OpenAPI 3.1 description of the HTTP API, served at `/openapi.json` and checked against the router by tests.
enum OpenAPIDocument {
    /// Each documented path template with its methods, read from the document itself.
    static let operations: [String: [HTTPRequest.Method]] = {
        let document = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let verbs: Set = ["get", "put", "post", "delete", "patch", "head", "options"]
        let paths = document?["paths"] as? [String: [String: Any]] ?? [:]
        return paths.mapValues { item in
            item.keys.filter(verbs.contains).sorted().compactMap { HTTPRequest.Method($0.uppercased()) }
        }
    }()

    static let json = #"""
    {
      "openapi": "3.1.0",
      "info": {
        "title": "Trip Planner",
        "version": "1.0.0",
        "description": "People sign up and keep their own trips, each an ordered list of waypoints. Every route but sign-up, health and this document takes HTTP Basic or a Bearer token."
      },
      "security": [{"basic": []}, {"bearer": []}],
      "paths": {
        "/health": {
          "get": {
            "summary": "Liveness", "security": [],
            "responses": {"200": {"description": "The process is running", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Status"}}}}}
          }
        },
        "/ready": {
          "get": {
            "summary": "Readiness: the store answers", "security": [],
            "responses": {
              "200": {"description": "Ready", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Status"}}}},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          }
        },
        "/openapi.json": {
          "get": {
            "summary": "This document", "security": [],
            "responses": {"200": {"description": "The OpenAPI document", "content": {"application/json": {"schema": {"type": "object"}}}}}
          }
        },
        "/users": {
          "post": {
            "summary": "Sign up", "security": [], "operationId": "signUp",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SignUp"}}}},
            "responses": {
              "201": {"description": "Created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}},
              "400": {"$ref": "#/components/responses/Problem"},
              "409": {"$ref": "#/components/responses/Problem"},
              "413": {"$ref": "#/components/responses/Problem"},
              "422": {"$ref": "#/components/responses/Problem"},
              "default": {"$ref": "#/components/responses/Problem"}
            }
          },
          "get": {
            "summary": "The caller's account: verifies credentials", "operationId": "currentUser",
            "responses": {
              "200": {"description": "The caller", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "default": {"$ref": "#/components/responses/Problem"}
            }
          },
          "delete": {
            "summary": "Delete the caller's account, trips and tokens", "operationId": "deleteUser",
            "responses": {
              "204": {"description": "Deleted"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "default": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/tokens": {
          "post": {
            "summary": "Issue a bearer token for Basic credentials", "security": [{"basic": []}], "operationId": "issueToken",
            "responses": {
              "201": {"description": "Issued", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Token"}}}},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "default": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/tokens/current": {
          "delete": {
            "summary": "Revoke the bearer token of this request", "security": [{"bearer": []}], "operationId": "revokeToken",
            "responses": {
              "204": {"description": "Revoked"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "default": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/trips": {
          "get": {
            "summary": "The caller's trips in id order", "operationId": "listTrips",
            "parameters": [
              {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 100}},
              {"name": "after", "in": "query", "schema": {"$ref": "#/components/schemas/ID"}}
            ],
            "responses": {
              "200": {
                "description": "A page of trips; a Link header with rel=\"next\" when more remain",
                "headers": {"Link": {"schema": {"type": "string"}}},
                "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Trip"}}}}
              },
              "400": {"$ref": "#/components/responses/Problem"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "default": {"$ref": "#/components/responses/Problem"}
            }
          },
          "post": {
            "summary": "Create a trip", "operationId": "createTrip",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TripInput"}}}},
            "responses": {
              "201": {
                "description": "Created",
                "headers": {"Location": {"schema": {"type": "string"}}, "ETag": {"schema": {"type": "string"}}},
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Trip"}}},
                "links": {
                  "GetTrip": {"operationId": "getTrip", "parameters": {"id": "$response.body#/id"}},
                  "ReplaceTrip": {"operationId": "replaceTrip", "parameters": {"id": "$response.body#/id"}},
                  "DeleteTrip": {"operationId": "deleteTrip", "parameters": {"id": "$response.body#/id"}}
                }
              },
              "400": {"$ref": "#/components/responses/Problem"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "413": {"$ref": "#/components/responses/Problem"},
              "422": {"$ref": "#/components/responses/Problem"},
              "default": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/trips/{id}": {
          "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/ID"}}],
          "get": {
            "summary": "One of the caller's trips", "operationId": "getTrip",
            "responses": {
              "200": {
                "description": "The trip", "headers": {"ETag": {"schema": {"type": "string"}}},
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Trip"}}}
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {"$ref": "#/components/responses/Problem"},
              "default": {"$ref": "#/components/responses/Problem"}
            }
          },
          "put": {
            "summary": "Replace a trip's name and waypoints", "operationId": "replaceTrip",
            "parameters": [{"name": "If-Match", "in": "header", "schema": {"type": "string"}}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TripInput"}}}},
            "responses": {
              "200": {
                "description": "The replaced trip", "headers": {"ETag": {"schema": {"type": "string"}}},
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Trip"}}}
              },
              "400": {"$ref": "#/components/responses/Problem"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {"$ref": "#/components/responses/Problem"},
              "412": {"$ref": "#/components/responses/Problem"},
              "413": {"$ref": "#/components/responses/Problem"},
              "422": {"$ref": "#/components/responses/Problem"},
              "default": {"$ref": "#/components/responses/Problem"}
            }
          },
          "delete": {
            "summary": "Delete a trip", "operationId": "deleteTrip",
            "responses": {
              "204": {"description": "Deleted"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {"$ref": "#/components/responses/Problem"},
              "default": {"$ref": "#/components/responses/Problem"}
            }
          }
        }
      },
      "components": {
        "securitySchemes": {
          "basic": {"type": "http", "scheme": "basic"},
          "bearer": {"type": "http", "scheme": "bearer"}
        },
        "responses": {
          "Problem": {"description": "An error", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
          "Unauthorized": {
            "description": "Missing or bad credentials",
            "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}},
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
          },
          "Unavailable": {
            "description": "The database is unavailable",
            "headers": {"Retry-After": {"schema": {"type": "string"}}},
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
          }
        },
        "schemas": {
          "ID": {"type": "string", "pattern": "^[0-9a-f]{24}$"},
          "Text": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"},
          "Status": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string"}}},
          "SignUp": {
            "type": "object", "required": ["username", "password"],
            "properties": {
              "username": {"type": "string", "pattern": "^[A-Za-z0-9._-]{3,64}$"},
              "password": {"type": "string", "minLength": 8, "maxLength": 72, "description": "8 to 72 bytes of UTF-8"}
            }
          },
          "User": {
            "type": "object", "required": ["id", "username", "createdAt"],
            "properties": {
              "id": {"$ref": "#/components/schemas/ID"},
              "username": {"type": "string"},
              "createdAt": {"type": "string", "format": "date-time"}
            }
          },
          "Token": {
            "type": "object", "required": ["token", "expiresAt"],
            "properties": {"token": {"type": "string"}, "expiresAt": {"type": "string", "format": "date-time"}}
          },
          "Waypoint": {
            "type": "object", "required": ["name", "latitude", "longitude"],
            "properties": {
              "name": {"$ref": "#/components/schemas/Text"},
              "latitude": {"type": "number", "minimum": -90, "maximum": 90},
              "longitude": {"type": "number", "minimum": -180, "maximum": 180}
            }
          },
          "TripInput": {
            "type": "object", "required": ["name"],
            "properties": {
              "name": {"$ref": "#/components/schemas/Text"},
              "waypoints": {"type": "array", "maxItems": 1000, "items": {"$ref": "#/components/schemas/Waypoint"}, "default": []}
            }
          },
          "Trip": {
            "type": "object", "required": ["id", "name", "waypoints", "createdAt", "updatedAt", "version"],
            "properties": {
              "id": {"$ref": "#/components/schemas/ID"},
              "name": {"type": "string"},
              "waypoints": {"type": "array", "items": {"$ref": "#/components/schemas/Waypoint"}},
              "createdAt": {"type": "string", "format": "date-time"},
              "updatedAt": {"type": "string", "format": "date-time"},
              "version": {"type": "integer", "minimum": 1}
            }
          },
          "Problem": {
            "type": "object", "required": ["type", "title", "status", "detail"],
            "properties": {
              "type": {"type": "string"},
              "title": {"type": "string"},
              "status": {"type": "integer"},
              "detail": {"type": "string"},
              "errors": {
                "type": "array",
                "items": {"type": "object", "required": ["pointer", "detail"], "properties": {"pointer": {"type": "string"}, "detail": {"type": "string"}}}
              }
            }
          }
        }
      }
    }
    """#
}
